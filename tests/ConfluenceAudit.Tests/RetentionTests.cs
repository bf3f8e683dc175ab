using System.Globalization;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Management.Automation;
using System.Net;
using System.Text;
using ConfluenceAudit.Commands;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>Get-/Set-ConfluenceAuditRetention in a real runspace against a fake retention resource.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly PowerShellHost host = new();

    public void Dispose() => host.Dispose();

    private ScriptResult Run(FakeRetentionServer server, string script)
    {
        using var connection = PowerShellHost.Connect(server.Handler);
        host.SetVariable("c", connection);
        var result = host.Run(script);
        Assert.All(result.AllText(), TestSecrets.AssertNoSecret);
        return result;
    }

    /// <summary>Runs the script in a runspace whose host shows prompts and answers them (null: fail on any prompt).</summary>
    private static (ScriptResult Result, RecordingHost Host) RunWithHost(FakeRetentionServer server, string script, bool? answerYes)
    {
        var recording = new RecordingHost(answerYes);
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(typeof(SetConfluenceAuditRetentionCommand).Assembly.Location);
        using var runspace = RunspaceFactory.CreateRunspace(recording, iss);
        runspace.Open();
        using var connection = PowerShellHost.Connect(server.Handler);
        runspace.SessionStateProxy.SetVariable("c", connection);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("$global:__terminating = $null\ntry {\n" + script + "\n} catch { $global:__terminating = $_ }");
        var output = ps.Invoke();
        var terminating = runspace.SessionStateProxy.GetVariable("__terminating");
        var result = new ScriptResult(
            output,
            ps.Streams.Error.ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Debug.Select(v => v.Message).ToList(),
            ps.Streams.Warning.Select(v => v.Message).ToList(),
            (terminating is PSObject wrapped ? wrapped.BaseObject : terminating) as ErrorRecord);
        return (result, recording);
    }

    private static void AssertSucceeded(ScriptResult result)
    {
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
    }

    // ---- Get ----------------------------------------------------------------------------------------

    [Fact]
    public void Get_Returns_A_Typed_Retention_That_Reads_As_3_Months()
    {
        var server = new FakeRetentionServer(3, "MONTHS");

        var result = Run(server, "$r = Get-ConfluenceAuditRetention -Connection $c; $r; \"$r\"; $r.Number.GetType().FullName; $r.Units.GetType().FullName");

        AssertSucceeded(result);
        var retention = Assert.IsType<ConfluenceAuditRetention>(result.Output[0].BaseObject);
        Assert.Equal(3, retention.Number);
        Assert.Equal(RetentionUnit.Months, retention.Units);
        Assert.Equal(new Uri("https://acme.atlassian.net/wiki"), retention.Site);
        Assert.Equal("3 Months", result.Output[1].BaseObject);
        Assert.Equal(typeof(int).FullName, result.Output[2].BaseObject);
        Assert.Equal(typeof(RetentionUnit).FullName, result.Output[3].BaseObject);
        var request = Assert.Single(server.Handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/wiki/rest/api/audit/retention", request.Uri.AbsolutePath);
    }

    [Fact]
    public void Get_Reads_The_Api_Spelling_Of_Units()
    {
        var server = new FakeRetentionServer(730, "HALF_DAYS");

        var result = Run(server, "Get-ConfluenceAuditRetention -Connection $c");

        var retention = Assert.IsType<ConfluenceAuditRetention>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(RetentionUnit.HalfDays, retention.Units);
        Assert.Equal("730 HalfDays", retention.ToString());
    }

    [Fact]
    public void Get_With_Unknown_Units_Is_An_InvalidResponse()
    {
        var handler = FakeHttpHandler.Always(() => Responses.Json("{\"number\":3,\"units\":\"FORTNIGHTS\"}"));
        using var connection = PowerShellHost.Connect(handler);
        host.SetVariable("c", connection);

        var result = host.Run("Get-ConfluenceAuditRetention -Connection $c");

        var error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.StartsWith("ConfluenceInvalidResponse", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("FORTNIGHTS", error.ErrorDetails!.Message, StringComparison.Ordinal);
    }

    // ---- Set: binding and body ------------------------------------------------------------------------

    [Theory]
    [InlineData("-Number 6 -Unit Months", 6, "MONTHS")]
    [InlineData("6 Months", 6, "MONTHS")]
    [InlineData("-Number 6 -Units MONTHS", 6, "MONTHS")]
    [InlineData("-Number 300 -Unit HALF_DAYS", 300, "HALF_DAYS")]
    [InlineData("-Number 300 -Unit HalfDays", 300, "HALF_DAYS")]
    [InlineData("-Number 300 -Units half_days", 300, "HALF_DAYS")]
    [InlineData("-Number 1 -Unit ([ConfluenceAudit.Models.RetentionUnit]::Years)", 1, "YEARS")]
    public void Set_Lengthening_Sends_One_Put_Without_Asking(string parameters, int number, string units)
    {
        var server = new FakeRetentionServer(2, "DAYS");

        var (result, recording) = RunWithHost(server, "Set-ConfluenceAuditRetention -Connection $c " + parameters, answerYes: null);

        AssertSucceeded(result);
        Assert.Empty(recording.Prompts);
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "GET", "PUT" }, server.Methods);
        var put = Assert.Single(server.Puts);
        Assert.Equal("/wiki/rest/api/audit/retention", put.Uri.AbsolutePath);
        Assert.StartsWith("application/json", put.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal($"{{\"number\":{number},\"units\":\"{units}\"}}", put.Body);
        Assert.Equal((number, units), (server.Number, server.Units));
    }

    [Fact]
    public void Set_PassThru_Writes_The_New_Value()
    {
        var server = new FakeRetentionServer(1, "MONTHS");

        var result = Run(server, "Set-ConfluenceAuditRetention -Connection $c -Number 6 -Unit Months -PassThru");

        AssertSucceeded(result);
        var retention = Assert.IsType<ConfluenceAuditRetention>(Assert.Single(result.Output).BaseObject);
        Assert.Equal((6, RetentionUnit.Months), (retention.Number, retention.Units));
        Assert.Equal("6 Months", retention.ToString());
    }

    [Theory]
    [InlineData(13, "Months")]
    [InlineData(53, "Weeks")]
    [InlineData(366, "Days")]
    [InlineData(2, "Years")]
    [InlineData(1, "Decades")]
    [InlineData(1, "Centuries")]
    [InlineData(1, "Millennia")]
    [InlineData(1, "Eras")]
    [InlineData(1, "Forever")]
    [InlineData(1, "FOREVER")]
    public void Set_Over_One_Year_Is_AuditRetentionTooLong_Before_Any_Request(int number, string unit)
    {
        var server = new FakeRetentionServer(3, "MONTHS");

        var result = Run(server, $"Set-ConfluenceAuditRetention -Connection $c -Number {number} -Unit {unit} -Force; 'after'");

        Assert.NotNull(result.Terminating);
        Assert.StartsWith("AuditRetentionTooLong", result.Terminating!.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, result.Terminating.CategoryInfo.Category);
        var message = result.Terminating.Exception.Message;
        Assert.Contains("1 year", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("12 Months", message, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        Assert.Empty(server.Handler.Requests);
    }

    [Theory]
    [InlineData(12, "Months", "MONTHS")]
    [InlineData(52, "Weeks", "WEEKS")]
    [InlineData(365, "Days", "DAYS")]
    [InlineData(1, "Years", "YEARS")]
    public void Set_Of_Exactly_The_Maximum_Is_Accepted(int number, string unit, string units)
    {
        var server = new FakeRetentionServer(1, "DAYS");

        var result = Run(server, $"Set-ConfluenceAuditRetention -Connection $c -Number {number} -Unit {unit}");

        AssertSucceeded(result);
        Assert.Equal($"{{\"number\":{number},\"units\":\"{units}\"}}", Assert.Single(server.Puts).Body);
    }

    [Theory]
    [InlineData("-Number 0 -Unit Months")]
    [InlineData("-Number -1 -Unit Months")]
    public void Set_Of_Zero_Or_Less_Is_Refused_At_Binding(string parameters)
    {
        var server = new FakeRetentionServer(3, "MONTHS");

        var result = Run(server, "Set-ConfluenceAuditRetention -Connection $c -Force " + parameters);

        Assert.StartsWith("ParameterArgumentValidationError", result.Terminating?.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Empty(server.Handler.Requests);
    }

    [Fact]
    public void Set_With_An_Unknown_Unit_Is_Refused_At_Binding()
    {
        var server = new FakeRetentionServer(3, "MONTHS");

        var result = Run(server, "Set-ConfluenceAuditRetention -Connection $c -Number 2 -Unit Fortnights -Force");

        Assert.IsAssignableFrom<ParameterBindingException>(result.Terminating?.Exception);
        Assert.Empty(server.Handler.Requests);
    }

    // ---- Set: -WhatIf and confirmation ---------------------------------------------------------------

    [Fact]
    public void WhatIf_Shows_The_Current_And_New_Value_And_Sends_No_Put()
    {
        var server = new FakeRetentionServer(3, "MONTHS");

        var (result, recording) = RunWithHost(server, "Set-ConfluenceAuditRetention -Connection $c -Number 1 -Unit Years -WhatIf -PassThru", answerYes: null);

        AssertSucceeded(result);
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "GET" }, server.Methods);
        var whatIf = Assert.Single(recording.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
        Assert.Contains("3 Months", whatIf, StringComparison.Ordinal);
        Assert.Contains("1 Years", whatIf, StringComparison.Ordinal);
        Assert.Contains("https://acme.atlassian.net/wiki", whatIf, StringComparison.Ordinal);
        Assert.Equal((3, "MONTHS"), (server.Number, server.Units));
    }

    [Fact]
    public void WhatIf_Of_A_Shorter_Period_Neither_Asks_Nor_Sends_A_Put()
    {
        var server = new FakeRetentionServer(12, "MONTHS");

        var (result, recording) = RunWithHost(server, "Set-ConfluenceAuditRetention -Connection $c -Number 1 -Unit Months -WhatIf", answerYes: null);

        AssertSucceeded(result);
        Assert.Empty(recording.Prompts);
        Assert.Equal(new[] { "GET" }, server.Methods);
        Assert.Contains(recording.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal) && l.Contains("12 Months", StringComparison.Ordinal) && l.Contains("1 Months", StringComparison.Ordinal));
    }

    [Fact]
    public void Shortening_Without_A_Host_To_Ask_Fails_And_Sends_No_Put()
    {
        var server = new FakeRetentionServer(12, "MONTHS");

        var result = Run(server, "Set-ConfluenceAuditRetention -Connection $c -Number 1 -Unit Months");

        Assert.NotNull(result.Terminating ?? (result.Errors.Count > 0 ? result.Errors[0] : null));
        Assert.Equal(new[] { "GET" }, server.Methods);
        Assert.Equal((12, "MONTHS"), (server.Number, server.Units));
    }

    [Fact]
    public void Shortening_Asks_And_No_Means_No_Put()
    {
        var server = new FakeRetentionServer(12, "MONTHS");

        var (result, recording) = RunWithHost(server, "Set-ConfluenceAuditRetention -Connection $c -Number 1 -Unit Months -PassThru", answerYes: false);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        var prompt = Assert.Single(recording.Prompts);
        Assert.Contains("12 Months", prompt, StringComparison.Ordinal);
        Assert.Contains("1 Months", prompt, StringComparison.Ordinal);
        Assert.Contains("delete", prompt, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new[] { "GET" }, server.Methods);
    }

    [Fact]
    public void Shortening_Asks_And_Yes_Sends_The_Put()
    {
        var server = new FakeRetentionServer(12, "MONTHS");

        var (result, recording) = RunWithHost(server, "Set-ConfluenceAuditRetention -Connection $c -Number 1 -Unit Months", answerYes: true);

        AssertSucceeded(result);
        Assert.Single(recording.Prompts);
        Assert.Equal("{\"number\":1,\"units\":\"MONTHS\"}", Assert.Single(server.Puts).Body);
    }

    [Theory]
    [InlineData("-Force")]
    [InlineData("-Confirm:$false")]
    public void Shortening_With_Force_Or_Confirm_False_Sends_The_Put_Without_Asking(string parameter)
    {
        var server = new FakeRetentionServer(12, "MONTHS");

        var (result, recording) = RunWithHost(server, "Set-ConfluenceAuditRetention -Connection $c -Number 1 -Unit Months " + parameter, answerYes: null);

        AssertSucceeded(result);
        Assert.Empty(recording.Prompts);
        Assert.Equal(new[] { "GET", "PUT" }, server.Methods);
        Assert.Equal((1, "MONTHS"), (server.Number, server.Units));
    }

    [Fact]
    public void Shortening_In_A_Script_Without_Force_Fails_Even_With_Confirm_Preference_None()
    {
        var server = new FakeRetentionServer(12, "MONTHS");

        Run(server, "$ConfirmPreference = 'None'; Set-ConfluenceAuditRetention -Connection $c -Number 30 -Unit Days");

        Assert.Equal(new[] { "GET" }, server.Methods);
    }

    [Fact]
    public void Setting_The_Same_Value_Needs_No_Confirmation()
    {
        var server = new FakeRetentionServer(3, "MONTHS");

        var (result, recording) = RunWithHost(server, "Set-ConfluenceAuditRetention -Connection $c -Number 3 -Unit Months", answerYes: null);

        AssertSucceeded(result);
        Assert.Empty(recording.Prompts);
        Assert.Single(server.Puts);
    }

    // ---- Set: the pipeline ---------------------------------------------------------------------------

    [Fact]
    public void Get_Piped_To_Set_Copies_The_Setting_To_Another_Site()
    {
        var source = new FakeRetentionServer(730, "HALF_DAYS");
        var target = new FakeRetentionServer(12, "MONTHS");
        using var from = PowerShellHost.Connect(source.Handler, "https://source.atlassian.net");
        using var to = PowerShellHost.Connect(target.Handler, "https://target.atlassian.net");
        host.SetVariable("from", from);
        host.SetVariable("to", to);

        var result = host.Run("Get-ConfluenceAuditRetention -Connection $from | Set-ConfluenceAuditRetention -Connection $to -Force -PassThru");

        AssertSucceeded(result);
        Assert.Equal(new[] { "GET" }, source.Methods);
        Assert.Equal(new[] { "GET", "PUT" }, target.Methods);
        Assert.Equal("{\"number\":730,\"units\":\"HALF_DAYS\"}", Assert.Single(target.Puts).Body);
        var copied = Assert.IsType<ConfluenceAuditRetention>(Assert.Single(result.Output).BaseObject);
        Assert.Equal(new Uri("https://target.atlassian.net/wiki"), copied.Site);
        Assert.Equal("730 HalfDays", copied.ToString());
    }

    [Fact]
    public void Objects_With_Number_And_Units_Bind_By_Property_Name()
    {
        var server = new FakeRetentionServer(1, "DAYS");

        var result = Run(server, "[pscustomobject]@{ Number = '2'; Units = 'WEEKS' } | Set-ConfluenceAuditRetention -Connection $c");

        AssertSucceeded(result);
        Assert.Equal("{\"number\":2,\"units\":\"WEEKS\"}", Assert.Single(server.Puts).Body);
    }

    [Fact]
    public void A_Refused_Put_Is_Reported_With_The_Server_Message()
    {
        var handler = FakeHttpHandler.Script(
            () => Responses.Json("{\"number\":3,\"units\":\"MONTHS\"}"),
            () => Responses.Json("{\"statusCode\":400,\"message\":\"The maximum is 1 year\"}", HttpStatusCode.BadRequest));
        using var connection = PowerShellHost.Connect(handler);
        host.SetVariable("c", connection);

        var result = host.Run("Set-ConfluenceAuditRetention -Connection $c -Number 6 -Unit Months -PassThru");

        var error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.StartsWith("ConfluenceBadRequest", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("The maximum is 1 year", error.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }
}
