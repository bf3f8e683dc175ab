using System.Collections.ObjectModel;
using System.Management.Automation.Runspaces;
using System.Management.Automation;
using ConfluenceAudit.Commands;
using ConfluenceAudit.Connections;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Tests;

/// <summary>The outcome of one script: output, the non-terminating errors, verbose lines, and the terminating error if one was thrown.</summary>
internal sealed record ScriptResult(
    Collection<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    IReadOnlyList<string> Verbose,
    IReadOnlyList<string> Debug,
    IReadOnlyList<string> Warnings,
    ErrorRecord? Terminating)
{
    /// <summary>Every text the user could see, for secret checks.</summary>
    public IEnumerable<string> AllText()
    {
        foreach (var item in Output)
        {
            yield return item?.ToString() ?? string.Empty;
        }

        foreach (var error in Errors.Concat(Terminating is null ? Array.Empty<ErrorRecord>() : new[] { Terminating }))
        {
            yield return error.ToString();
            yield return error.Exception.ToString();
            yield return error.ErrorDetails?.Message ?? string.Empty;
            yield return error.TargetObject?.ToString() ?? string.Empty;
        }

        foreach (var line in Verbose.Concat(Debug).Concat(Warnings))
        {
            yield return line;
        }
    }
}

/// <summary>
/// An in-process runspace with the module imported from its assembly, so the cmdlets run exactly as in a session.
/// Scripts run inside try/catch, so a terminating error is captured rather than lost or thrown.
/// </summary>
internal sealed class PowerShellHost : IDisposable
{
    private readonly Runspace runspace;

    public PowerShellHost()
    {
        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(typeof(GetConfluenceAuditRecordCommand).Assembly.Location);
        runspace = RunspaceFactory.CreateRunspace(iss);
        runspace.Open();
    }

    /// <summary>A connection whose HttpClient talks to <paramref name="handler"/>: the only way to reach a cmdlet's HTTP.</summary>
    public static ConfluenceAuditConnection Connect(HttpMessageHandler handler, string baseUri = "https://acme.atlassian.net", ConfluenceCredential? credential = null, RetryPolicy? retry = null, int maxConcurrency = 1) =>
        ConnectionFactory.Create(new ConnectionOptions(new Uri(baseUri), credential ?? TestSecrets.Basic(), "Parameters")
        {
            Handler = handler,
            UserAgent = "ConfluenceAudit.Tests/1.0",
            RetryPolicy = retry ?? TestClients.NoRetries(),
            MaxConcurrency = maxConcurrency,
        });

    public void SetVariable(string name, object? value) => runspace.SessionStateProxy.SetVariable(name, value);

    public object? GetVariable(string name) => runspace.SessionStateProxy.GetVariable(name);

    public ScriptResult Run(string script)
    {
        using var ps = CreatePowerShell(script);
        var output = ps.Invoke();
        return Collect(ps, output);
    }

    /// <summary>Starts the script, lets the caller act (e.g. stop it), and returns the outcome and the exception EndInvoke threw.</summary>
    public (ScriptResult? Result, Exception? Thrown) RunAndStop(string script, Func<bool> stopWhen, TimeSpan within)
    {
        using var ps = CreatePowerShell(script);
        var async = ps.BeginInvoke();
        var deadline = DateTime.UtcNow + within;
        while (!stopWhen() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        ps.Stop();
        try
        {
            var output = ps.EndInvoke(async);
            return (Collect(ps, new Collection<PSObject>(output.ToList())), null);
        }
#pragma warning disable CA1031 // The test inspects whatever was thrown.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return (Collect(ps, new Collection<PSObject>()), exception);
        }
    }

    public void Dispose() => runspace.Dispose();

    private System.Management.Automation.PowerShell CreatePowerShell(string script)
    {
        var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("$global:__terminating = $null\ntry {\n" + script + "\n} catch { $global:__terminating = $_ }");
        return ps;
    }

    private ScriptResult Collect(System.Management.Automation.PowerShell ps, Collection<PSObject> output) =>
        new(
            output,
            ps.Streams.Error.ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Debug.Select(v => v.Message).ToList(),
            ps.Streams.Warning.Select(v => v.Message).ToList(),
            (GetVariable("__terminating") is PSObject wrapped ? wrapped.BaseObject : GetVariable("__terminating")) as ErrorRecord);
}
