using System.Management.Automation;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>New-ConfluenceAuditRecord in a real runspace against a fake handler: the body sent, the input refused, the failures reported.</summary>
public sealed class RecordCreationTests : IDisposable
{
    private readonly PowerShellHost host = new();

    public void Dispose() => host.Dispose();

    private (ScriptResult Result, FakeHttpHandler Handler) Run(string script, FakeHttpHandler? handler = null) =>
        RecordCreationServer.Run(host, script, handler);

    /// <summary>Runs the script and returns the body of the single POST it sent.</summary>
    private string SinglePostBody(string script)
    {
        var (result, handler) = Run(script);
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        var post = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, post.Method);
        Assert.Equal("/wiki/rest/api/audit", post.Uri.AbsolutePath);
        Assert.Equal(string.Empty, post.Uri.Query);
        Assert.StartsWith("application/json", post.Header("Content-Type"), StringComparison.Ordinal);
        return post.Body!;
    }

    // ---- The body: exactly what was bound -------------------------------------------------------------

    [Fact]
    public void RemoteAddress_And_Summary_Alone_Send_Exactly_Those_Two_Fields()
    {
        var body = SinglePostBody("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.20.30.40 -Summary 'Quarterly access review'");

        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.20.30.40\",\"summary\":\"Quarterly access review\"}", body);
    }

    [Fact]
    public void RemoteAddress_Alone_Sends_Only_The_Address_Trimmed_And_Writes_The_Created_Record()
    {
        var (result, handler) = Run("New-ConfluenceAuditRecord -Connection $c ' 10.20.30.40 '");

        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.20.30.40\"}", Assert.Single(handler.Requests).Body);
        var created = Assert.IsType<ConfluenceAuditRecord>(Assert.Single(result.Output).BaseObject);
        Assert.Equal("10.20.30.40", created.RemoteAddress);
    }

    [Fact]
    public void SysAdmin_Switch_Sends_True_And_SysAdmin_False_Sends_False()
    {
        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"sysAdmin\":true}", SinglePostBody("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -SysAdmin"));
        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"sysAdmin\":false}", SinglePostBody("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -SysAdmin:$false"));
    }

    [Fact]
    public void Description_And_Category_Are_Sent_As_Given_Even_When_Empty()
    {
        var body = SinglePostBody("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -Description \"Line 1`nLine `\"2`\"\" -Category ''");

        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"description\":\"Line 1\\nLine \\\"2\\\"\",\"category\":\"\"}", body);
    }

    [Theory]
    [InlineData("[datetime]::new(2026, 3, 2, 10, 15, 0, 125, [DateTimeKind]::Utc)")]
    [InlineData("[DateTimeOffset]::new(2026, 3, 2, 11, 15, 0, 125, [TimeSpan]::FromHours(1))")]
    [InlineData("[DateTimeOffset]::new(2026, 3, 2, 4, 45, 0, 125, [TimeSpan]::FromHours(-5.5))")]
    [InlineData("[DateTimeOffset]::FromUnixTimeMilliseconds(1772446500125)")]
    public void CreationDate_Is_Sent_As_Epoch_Milliseconds(string date)
    {
        var body = SinglePostBody($"New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -CreationDate ({date})");

        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"creationDate\":1772446500125}", body);
    }

    [Fact]
    public void CreationDate_Local_DateTime_Is_The_Local_Instant()
    {
        var local = new DateTime(2026, 3, 2, 10, 15, 0, 125, DateTimeKind.Local);
        var expected = new DateTimeOffset(local).ToUnixTimeMilliseconds();

        var body = SinglePostBody("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -CreationDate ([datetime]::new(2026, 3, 2, 10, 15, 0, 125, [DateTimeKind]::Local))");

        RecordCreationServer.AssertJsonEqual($"{{\"remoteAddress\":\"10.0.0.1\",\"creationDate\":{expected}}}", body);
    }

    [Theory]
    [InlineData("-AuthorName 'Ada Admin'")]
    [InlineData("-Author 'Ada Admin'")]
    public void AuthorName_Sends_A_User_Author_With_That_Display_Name(string parameter)
    {
        var body = SinglePostBody("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 " + parameter);

        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"author\":{\"type\":\"user\",\"displayName\":\"Ada Admin\"}}", body);
    }

    [Theory]
    [InlineData("@{ Name = 'ENG'; ObjectType = 'Space' }")]
    [InlineData("@{ name = 'ENG'; objecttype = 'Space' }")]
    [InlineData("'ENG (Space)'")]
    [InlineData("[pscustomobject]@{ Name = 'ENG'; ObjectType = 'Space' }")]
    public void AffectedObject_From_A_Hashtable_Object_Or_Text(string value)
    {
        var body = SinglePostBody($"New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -AffectedObject ({value})");

        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"affectedObject\":{\"name\":\"ENG\",\"objectType\":\"Space\"}}", body);
    }

    [Fact]
    public void AffectedObject_Without_ObjectType_Sends_An_Empty_Type()
    {
        var body = SinglePostBody("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -AffectedObject @{ Name = 'ENG' }");

        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"affectedObject\":{\"name\":\"ENG\",\"objectType\":\"\"}}", body);
    }

    [Fact]
    public void ChangedValue_Hashtables_Are_Sent_In_Order_With_Hidden_Values_Only_When_Given()
    {
        var body = SinglePostBody(
            "New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -ChangedValue " +
            "@{ Name = 'Permission'; OldValue = 'view'; NewValue = 'edit' }, @{ Name = 'Group'; NewValue = 'engineers' }, " +
            "@{ Name = 'Secret'; OldValue = 'a'; NewValue = 'b'; HiddenOldValue = 'x'; HiddenNewValue = 'y' }");

        RecordCreationServer.AssertJsonEqual(
            "{\"remoteAddress\":\"10.0.0.1\",\"changedValues\":[" +
            "{\"name\":\"Permission\",\"oldValue\":\"view\",\"newValue\":\"edit\"}," +
            "{\"name\":\"Group\",\"oldValue\":\"\",\"newValue\":\"engineers\"}," +
            "{\"name\":\"Secret\",\"oldValue\":\"a\",\"newValue\":\"b\",\"hiddenOldValue\":\"x\",\"hiddenNewValue\":\"y\"}]}",
            body);
    }

    [Fact]
    public void ChangedValue_From_Text_And_ChangedValues_Alias()
    {
        var body = SinglePostBody("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -ChangedValues 'Permission: view -> edit; Group:  -> engineers'");

        RecordCreationServer.AssertJsonEqual(
            "{\"remoteAddress\":\"10.0.0.1\",\"changedValues\":[{\"name\":\"Permission\",\"oldValue\":\"view\",\"newValue\":\"edit\"},{\"name\":\"Group\",\"oldValue\":\"\",\"newValue\":\"engineers\"}]}",
            body);
    }

    [Theory]
    [InlineData("-AssociatedObject @{ Name = 'jdoe'; ObjectType = 'User' }, @{ Name = 'ENG'; ObjectType = 'Space' }")]
    [InlineData("-AssociatedObjects 'jdoe (User); ENG (Space)'")]
    [InlineData("-AssociatedObject 'jdoe (User)', @{ Name = 'ENG'; ObjectType = 'Space' }")]
    public void AssociatedObject_Arrays_Keep_Their_Order(string parameter)
    {
        var body = SinglePostBody("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 " + parameter);

        RecordCreationServer.AssertJsonEqual(
            "{\"remoteAddress\":\"10.0.0.1\",\"associatedObjects\":[{\"name\":\"jdoe\",\"objectType\":\"User\"},{\"name\":\"ENG\",\"objectType\":\"Space\"}]}", body);
    }

    [Fact]
    public void A_Single_AssociatedObject_Hashtable_Is_Sent_As_An_Array_Of_One()
    {
        var body = SinglePostBody("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -AssociatedObject @{ Name = 'ENG'; ObjectType = 'Space' }");

        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"associatedObjects\":[{\"name\":\"ENG\",\"objectType\":\"Space\"}]}", body);
    }

    [Fact]
    public void Every_Field_At_Once()
    {
        var body = SinglePostBody(
            "New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.20.30.40 -Summary 'Space permission added' -Description 'by script' -Category Permissions " +
            "-CreationDate ([DateTimeOffset]::FromUnixTimeMilliseconds(1772446500125)) -SysAdmin -AuthorName 'Ada Admin' " +
            "-AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' } -ChangedValue @{ Name = 'Permission'; OldValue = 'view'; NewValue = 'edit' } " +
            "-AssociatedObject @{ Name = 'jdoe'; ObjectType = 'User' }");

        RecordCreationServer.AssertJsonEqual(
            "{\"author\":{\"type\":\"user\",\"displayName\":\"Ada Admin\"},\"remoteAddress\":\"10.20.30.40\",\"creationDate\":1772446500125," +
            "\"summary\":\"Space permission added\",\"description\":\"by script\",\"category\":\"Permissions\",\"sysAdmin\":true," +
            "\"affectedObject\":{\"name\":\"ENG\",\"objectType\":\"Space\"},\"changedValues\":[{\"name\":\"Permission\",\"oldValue\":\"view\",\"newValue\":\"edit\"}]," +
            "\"associatedObjects\":[{\"name\":\"jdoe\",\"objectType\":\"User\"}]}",
            body);
    }

    [Fact]
    public void Request_Body_Writer_Sends_Nothing_That_Was_Not_Given()
    {
        var json = Encoding.UTF8.GetString(RequestBodies.NewRecord(new NewAuditRecord("10.0.0.1")));

        Assert.Equal("{\"remoteAddress\":\"10.0.0.1\"}", json);
    }

    [Fact]
    public void Post_Is_Sent_With_Credentials_And_Json_Accept()
    {
        var (_, handler) = Run("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1");

        var post = Assert.Single(handler.Requests);
        Assert.StartsWith("Basic ", post.Header("Authorization"), StringComparison.Ordinal);
        Assert.Contains("application/json", post.Header("Accept"), StringComparison.Ordinal);
    }

    // ---- Input refused before any request ------------------------------------------------------------

    [Theory]
    [InlineData("''")]
    [InlineData("'   '")]
    [InlineData("\"`t\"")]
    public void Empty_Or_Blank_RemoteAddress_Is_Refused_Without_A_Request(string address)
    {
        var (result, handler) = Run($"New-ConfluenceAuditRecord -Connection $c -RemoteAddress {address} -Summary 'Imported event'");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("AuditRecordRemoteAddressMissing", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("remote address", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Imported event", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void A_Piped_Record_Without_Address_Is_Refused_And_The_Others_Are_Still_Created()
    {
        var (result, handler) = Run(
            "[pscustomobject]@{ RemoteAddress = '10.0.0.1'; Summary = 'first' }, [pscustomobject]@{ RemoteAddress = ''; Summary = 'system event' }, " +
            "[pscustomobject]@{ RemoteAddress = '10.0.0.3'; Summary = 'third' } | New-ConfluenceAuditRecord -Connection $c");

        Assert.Null(result.Terminating);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("AuditRecordRemoteAddressMissing", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("system event", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(2, handler.Requests.Count);
        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"summary\":\"first\"}", handler.Requests[0].Body);
        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.3\",\"summary\":\"third\"}", handler.Requests[1].Body);
        Assert.Equal(new[] { "first", "third" }, result.Output.Select(o => ((ConfluenceAuditRecord)o.BaseObject).Summary));
    }

    [Theory]
    [InlineData("-AffectedObject @{ Name = 'ENG'; Type = 'Space' }", "Type")]
    [InlineData("-AffectedObject @{ ObjectType = 'Space' }", "Name")]
    [InlineData("-AffectedObject @{ Name = ''; ObjectType = 'Space' }", "Name")]
    [InlineData("-AffectedObject (Get-Date)", "AffectedObject")]
    [InlineData("-ChangedValue @{ Name = 'Permission'; Old = 'view'; NewValue = 'edit' }", "Old")]
    [InlineData("-ChangedValue @{ OldValue = 'view'; NewValue = 'edit' }", "Name")]
    [InlineData("-ChangedValue @{ Name = 'ok'; NewValue = 'x' }, @{ Nmae = 'typo' }", "Nmae")]
    [InlineData("-ChangedValue 'Permission was changed'", "Permission was changed")]
    [InlineData("-AssociatedObject @{ Name = 'jdoe'; ObjectType = 'User' }, @{ Name = 'ENG'; Kind = 'Space' }", "Kind")]
    [InlineData("-AssociatedObject @{ ObjectType = 'User' }", "Name")]
    public void Malformed_Objects_Are_Refused_At_Binding_Without_A_Request(string parameter, string mentioned)
    {
        var (result, handler) = Run("New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 " + parameter);

        Assert.NotNull(result.Terminating);
        Assert.IsAssignableFrom<ParameterBindingException>(result.Terminating!.Exception);
        Assert.StartsWith("ParameterArgumentTransformationError", result.Terminating.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(mentioned, result.Terminating.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("Maybe")]
    [InlineData("yes")]
    public void SysAdmin_Text_Other_Than_True_Or_False_Is_Refused(string text)
    {
        var (result, handler) = Run($"[pscustomobject]@{{ RemoteAddress = '10.0.0.1'; SysAdmin = '{text}' }} | New-ConfluenceAuditRecord -Connection $c");

        var error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void A_Piped_Record_Whose_Author_Is_Not_A_User_Is_Refused_Without_A_Post()
    {
        const string appAuthored =
            "{\"author\":{\"type\":\"app\",\"displayName\":\"Backup robot\",\"operations\":null},\"remoteAddress\":\"10.1.2.3\",\"creationDate\":1772446500000," +
            "\"summary\":\"Backup made\",\"category\":\"Backup\"}";
        var handler = RecordCreationServer.Create(appAuthored, Responses.Record("user made"));

        var (result, _) = Run("Get-ConfluenceAuditRecord -Connection $c | New-ConfluenceAuditRecord -Connection $c", handler);

        var error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
        Assert.Contains("'app'", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("user", error.Exception.Message, StringComparison.Ordinal);
        var posts = RecordCreationServer.Posts(handler);
        Assert.DoesNotContain(posts, p => p.Body!.Contains("Backup", StringComparison.Ordinal));
    }

    [Fact]
    public void WhatIf_Sends_Nothing_And_Writes_Nothing()
    {
        var (result, handler) = Run(
            "New-ConfluenceAuditRecord -Connection $c -RemoteAddress 10.0.0.1 -Summary 'would be created' -WhatIf; " +
            "[pscustomobject]@{ RemoteAddress = '10.0.0.2' } | New-ConfluenceAuditRecord -Connection $c -WhatIf");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(handler.Requests);
        Assert.Empty(result.Output);
    }

    // ---- The pipeline ---------------------------------------------------------------------------------

    private const string FullRecord =
        "{\"author\":{\"type\":\"user\",\"displayName\":\"Ada Admin\",\"operations\":null,\"accountId\":\"5b10ac8d\",\"accountType\":\"atlassian\",\"publicName\":\"Ada\"}," +
        "\"remoteAddress\":\"10.1.2.3\",\"creationDate\":1772446500125,\"summary\":\"Space permission added\",\"description\":\"Added by an admin\",\"category\":\"Permissions\"," +
        "\"sysAdmin\":true,\"superAdmin\":true,\"affectedObject\":{\"name\":\"ENG\",\"objectType\":\"Space\"}," +
        "\"changedValues\":[{\"name\":\"Permission\",\"oldValue\":\"view\",\"newValue\":\"edit\"},{\"name\":\"Secret\",\"oldValue\":\"\",\"newValue\":\"\",\"hiddenOldValue\":\"h1\",\"hiddenNewValue\":\"h2\"}]," +
        "\"associatedObjects\":[{\"name\":\"jdoe\",\"objectType\":\"User\"},{\"name\":\"ENG\",\"objectType\":\"Space\"}]}";

    private const string FullRecordCreate =
        "{\"author\":{\"type\":\"user\",\"displayName\":\"Ada Admin\"},\"remoteAddress\":\"10.1.2.3\",\"creationDate\":1772446500125,\"summary\":\"Space permission added\"," +
        "\"description\":\"Added by an admin\",\"category\":\"Permissions\",\"sysAdmin\":true,\"affectedObject\":{\"name\":\"ENG\",\"objectType\":\"Space\"}," +
        "\"changedValues\":[{\"name\":\"Permission\",\"oldValue\":\"view\",\"newValue\":\"edit\"},{\"name\":\"Secret\",\"oldValue\":\"\",\"newValue\":\"\",\"hiddenOldValue\":\"h1\",\"hiddenNewValue\":\"h2\"}]," +
        "\"associatedObjects\":[{\"name\":\"jdoe\",\"objectType\":\"User\"},{\"name\":\"ENG\",\"objectType\":\"Space\"}]}";

    private const string SparseRecord =
        "{\"author\":{\"type\":\"user\",\"displayName\":\"\",\"operations\":null},\"remoteAddress\":\"10.9.9.9\",\"creationDate\":1772446400000,\"summary\":\"Audit log cleaned\"," +
        "\"description\":\"\",\"category\":\"Auditing\",\"sysAdmin\":false,\"affectedObject\":{\"name\":\"\",\"objectType\":\"\"},\"changedValues\":[],\"associatedObjects\":[]}";

    private const string SparseRecordCreate =
        "{\"remoteAddress\":\"10.9.9.9\",\"creationDate\":1772446400000,\"summary\":\"Audit log cleaned\",\"description\":\"\",\"category\":\"Auditing\",\"sysAdmin\":false}";

    [Fact]
    public void Piped_Records_From_Get_Are_Recreated_Field_For_Field()
    {
        var handler = RecordCreationServer.Create(FullRecord, SparseRecord);

        var (result, _) = Run("Get-ConfluenceAuditRecord -Connection $c | New-ConfluenceAuditRecord -Connection $c", handler);

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        var posts = RecordCreationServer.Posts(handler);
        Assert.Equal(2, posts.Count);
        RecordCreationServer.AssertJsonEqual(FullRecordCreate, posts[0].Body);
        RecordCreationServer.AssertJsonEqual(SparseRecordCreate, posts[1].Body);
        Assert.Equal(2, result.Output.Count);
        Assert.All(result.Output, o => Assert.IsType<ConfluenceAuditRecord>(o.BaseObject));
    }

    [Fact]
    public void Piped_Records_Can_Be_Copied_To_Another_Site_With_Connection()
    {
        var source = RecordCreationServer.Create(FullRecord);
        var target = RecordCreationServer.Create();
        using var from = PowerShellHost.Connect(source, "https://source.atlassian.net");
        using var to = PowerShellHost.Connect(target, "https://target.atlassian.net");
        host.SetVariable("from", from);
        host.SetVariable("to", to);

        var result = host.Run("Get-ConfluenceAuditRecord -Connection $from | New-ConfluenceAuditRecord -Connection $to");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        Assert.Empty(RecordCreationServer.Posts(source));
        var post = Assert.Single(RecordCreationServer.Posts(target));
        Assert.Equal("target.atlassian.net", post.Uri.Host);
        RecordCreationServer.AssertJsonEqual(FullRecordCreate, post.Body);
    }

    [Fact]
    public void A_Record_Saved_With_Export_Clixml_Is_Recreated_With_Its_Creation_Date()
    {
        // Export-Clixml / Import-Clixml is how PowerShell saves objects faithfully: a record copied that way must keep its
        // date, not silently become "now" on the target site.
        var handler = RecordCreationServer.Create(FullRecord);
        var file = Path.Combine(Path.GetTempPath(), "ConfluenceAudit.RecordCreationTests." + Guid.NewGuid().ToString("N") + ".xml");
        host.SetVariable("file", file);
        try
        {
            var (result, _) = Run("Get-ConfluenceAuditRecord -Connection $c | Export-Clixml -LiteralPath $file; Import-Clixml -LiteralPath $file | New-ConfluenceAuditRecord -Connection $c", handler);

            Assert.Null(result.Terminating);
            var post = Assert.Single(RecordCreationServer.Posts(handler));
            var body = JsonNode.Parse(post.Body!)!;
            Assert.Equal("Ada Admin", body["author"]?["displayName"]?.GetValue<string>());
            Assert.Equal(1772446500125L, body["creationDate"]?.GetValue<long>());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_Piped_Author_Object_That_Is_Not_A_User_Is_Refused()
    {
        // An author that is not the module's own type (a record read with Invoke-RestMethod or ConvertFrom-Json) must be
        // checked the same way, not sent as the text "@{type=app; displayName=...}".
        var (result, handler) = Run(
            "[pscustomobject]@{ remoteAddress = '10.0.0.1'; summary = 'raw'; author = [pscustomobject]@{ type = 'app'; displayName = 'Backup robot' } } | New-ConfluenceAuditRecord -Connection $c");

        var error = result.Terminating ?? Assert.Single(result.Errors);
        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void A_Piped_Author_Object_Of_Type_User_Sends_Its_Display_Name()
    {
        var body = SinglePostBody(
            "[pscustomobject]@{ remoteAddress = '10.0.0.1'; author = [pscustomobject]@{ type = 'user'; displayName = 'Ada Admin'; accountId = '5b10' } } | New-ConfluenceAuditRecord -Connection $c");

        RecordCreationServer.AssertJsonEqual("{\"remoteAddress\":\"10.0.0.1\",\"author\":{\"type\":\"user\",\"displayName\":\"Ada Admin\"}}", body);
    }

    [Fact]
    public void A_Parameter_Overrides_The_Piped_Value()
    {
        var handler = RecordCreationServer.Create(SparseRecord);

        var (_, _) = Run("Get-ConfluenceAuditRecord -Connection $c | New-ConfluenceAuditRecord -Connection $c -Summary 'Copied: audit log cleaned'", handler);

        var post = Assert.Single(RecordCreationServer.Posts(handler));
        Assert.Equal("Copied: audit log cleaned", JsonNode.Parse(post.Body!)!["summary"]!.GetValue<string>());
    }
}
