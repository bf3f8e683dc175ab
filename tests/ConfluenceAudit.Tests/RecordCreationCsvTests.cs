using System.Management.Automation;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>New-ConfluenceAuditRecord fed by Import-Csv: what Export-Csv wrote of Get-ConfluenceAuditRecord is created again, field for field.</summary>
public sealed class RecordCreationCsvTests : IDisposable
{
    private readonly PowerShellHost host = new();

    public void Dispose() => host.Dispose();

    private (ScriptResult Result, FakeHttpHandler Handler) Run(string script, FakeHttpHandler? handler = null) =>
        RecordCreationServer.Run(host, script, handler);

    /// <summary>Records whose every field survives Export-Csv / Import-Csv; creation dates in whole seconds (see the millisecond test).</summary>
    public static TheoryData<string, string> CsvRecords() => new()
    {
        {
            "plain",
            "{\"author\":{\"type\":\"user\",\"displayName\":\"Ada Admin\"},\"remoteAddress\":\"10.1.2.3\",\"creationDate\":1772446500000,\"summary\":\"Space permission added\"," +
            "\"description\":\"\",\"category\":\"Permissions\",\"sysAdmin\":false,\"affectedObject\":{\"name\":\"ENG\",\"objectType\":\"Space\"}," +
            "\"changedValues\":[{\"name\":\"Permission\",\"oldValue\":\"view\",\"newValue\":\"edit\"},{\"name\":\"Group\",\"oldValue\":\"\",\"newValue\":\"engineers\"}]," +
            "\"associatedObjects\":[{\"name\":\"jdoe\",\"objectType\":\"User\"},{\"name\":\"ENG\",\"objectType\":\"Space\"}]}"
        },
        {
            "quotes, commas, newlines, non-ASCII, SysAdmin True",
            "{\"author\":{\"type\":\"user\",\"displayName\":\"Zoë \\\"Z\\\" Ångström, 日本\"},\"remoteAddress\":\"2001:db8::1\",\"creationDate\":1772446400000," +
            "\"summary\":\"Said \\\"hi\\\", then left\",\"description\":\"Line 1\\r\\nLine 2\\n\\\"quoted\\\", comma; semicolon 🎉\",\"category\":\"Sécurité\",\"sysAdmin\":true," +
            "\"affectedObject\":{\"name\":\"Über, \\\"ENG\\\"\",\"objectType\":\"Space\"},\"changedValues\":[{\"name\":\"Titel\",\"oldValue\":\"Alt, \\\"x\\\"\",\"newValue\":\"Neu\\nzweite Zeile\"}]," +
            "\"associatedObjects\":[{\"name\":\"Ærø\",\"objectType\":\"Page\"}]}"
        },
        {
            "parentheses, semicolons, colons, arrows and backslashes in names and values",
            "{\"author\":{\"type\":\"user\",\"displayName\":\"O'Brien (contractor); ops\"},\"remoteAddress\":\"10.0.0.7\",\"creationDate\":1772446300000,\"summary\":\"Moved (a); b\"," +
            "\"description\":\"C:\\\\temp\\\\x\",\"category\":\"Content\",\"sysAdmin\":false,\"affectedObject\":{\"name\":\"R&D (old); new\",\"objectType\":\"Space\"}," +
            "\"changedValues\":[{\"name\":\"Key: with colon\",\"oldValue\":\"a -> b; c\",\"newValue\":\"d\\\\e (f) -> g\"},{\"name\":\"Parent; page\",\"oldValue\":\"x (y)\",\"newValue\":\"z\"}]," +
            "\"associatedObjects\":[{\"name\":\"a;b\",\"objectType\":\"Page\"},{\"name\":\"c (d)\",\"objectType\":\"Blog post\"},{\"name\":\"back\\\\slash\\\\\",\"objectType\":\"User\"},{\"name\":\"x) (y\",\"objectType\":\"\"}]}"
        },
        {
            "system event without author or objects",
            "{\"author\":{\"type\":\"user\",\"displayName\":\"System\",\"operations\":null},\"remoteAddress\":\"127.0.0.1\",\"creationDate\":1772446200000,\"summary\":\"Audit log cleaned\"," +
            "\"category\":\"Auditing\",\"affectedObject\":{\"name\":\"\",\"objectType\":\"\"},\"changedValues\":[],\"associatedObjects\":[]}"
        },
    };

    /// <summary>The AuditRecordCreate a record read back from CSV must produce: every field the CSV carries, nothing more.</summary>
    private static string ExpectedCreate(string wireJson)
    {
        var wire = JsonNode.Parse(wireJson)!.AsObject();
        var expected = new JsonObject();
        var displayName = wire["author"]?["displayName"]?.GetValue<string>() ?? string.Empty;
        if (displayName.Length > 0)
        {
            expected["author"] = new JsonObject { ["type"] = "user", ["displayName"] = displayName };
        }

        expected["remoteAddress"] = wire["remoteAddress"]!.GetValue<string>();
        expected["creationDate"] = wire["creationDate"]!.GetValue<long>();
        foreach (var name in new[] { "summary", "description", "category" })
        {
            expected[name] = wire[name]?.GetValue<string>() ?? string.Empty;
        }

        expected["sysAdmin"] = wire["sysAdmin"]?.GetValue<bool>() ?? false;
        var affected = wire["affectedObject"];
        if (affected is not null && (affected["name"]!.GetValue<string>().Length > 0 || affected["objectType"]!.GetValue<string>().Length > 0))
        {
            expected["affectedObject"] = affected.DeepClone();
        }

        if (wire["changedValues"] is JsonArray { Count: > 0 } changed)
        {
            expected["changedValues"] = new JsonArray(changed.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c!["name"]!.GetValue<string>(),
                ["oldValue"] = c["oldValue"]!.GetValue<string>(),
                ["newValue"] = c["newValue"]!.GetValue<string>(),
            }).ToArray());
        }

        if (wire["associatedObjects"] is JsonArray { Count: > 0 } associated)
        {
            expected["associatedObjects"] = associated.DeepClone();
        }

        return expected.ToJsonString();
    }

    private List<RecordedRequest> CsvRoundTrip(params string[] wireRecords)
    {
        var handler = RecordCreationServer.Create(wireRecords);
        var (result, _) = Run(
            "$rows = Get-ConfluenceAuditRecord -Connection $c | ConvertTo-Csv -NoTypeInformation\n" +
            "$rows | ConvertFrom-Csv | New-ConfluenceAuditRecord -Connection $c", handler);
        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        var posts = RecordCreationServer.Posts(handler);
        Assert.Equal(wireRecords.Length, posts.Count);
        return posts;
    }

    [Theory]
    [MemberData(nameof(CsvRecords))]
    public void Csv_Round_Trip_Recreates_Every_Field(string description, string wireJson)
    {
        var post = Assert.Single(CsvRoundTrip(wireJson));

        Assert.False(string.IsNullOrEmpty(description));
        RecordCreationServer.AssertJsonEqual(ExpectedCreate(wireJson), post.Body);
    }

    [Fact]
    public void Csv_Round_Trip_Of_Many_Records_Keeps_Their_Order()
    {
        var records = CsvRecords().Select(row => (string)row[1]).ToArray();

        var posts = CsvRoundTrip(records);

        for (var i = 0; i < records.Length; i++)
        {
            RecordCreationServer.AssertJsonEqual(ExpectedCreate(records[i]), posts[i].Body);
        }
    }

    [Fact]
    public void Csv_Round_Trip_Keeps_A_Changed_Value_Whose_New_Value_Is_Empty()
    {
        // A removed permission or group membership: Confluence sends newValue "". ToString writes "Group: engineers -> ",
        // and reading it back must give the same three values.
        const string removed =
            "{\"author\":{\"type\":\"user\",\"displayName\":\"Ada Admin\"},\"remoteAddress\":\"10.1.2.3\",\"creationDate\":1772446500000,\"summary\":\"Group removed\"," +
            "\"description\":\"\",\"category\":\"Users and groups\",\"sysAdmin\":false,\"affectedObject\":{\"name\":\"jdoe\",\"objectType\":\"User\"}," +
            "\"changedValues\":[{\"name\":\"Group\",\"oldValue\":\"engineers\",\"newValue\":\"\"},{\"name\":\"Note\",\"oldValue\":\"a\",\"newValue\":\"trailing space \"}],\"associatedObjects\":[]}";

        var post = Assert.Single(CsvRoundTrip(removed));

        RecordCreationServer.AssertJsonEqual(ExpectedCreate(removed), post.Body);
    }

    [Fact]
    public void Csv_Round_Trip_Keeps_An_Object_Type_With_Separators()
    {
        const string odd =
            "{\"author\":{\"type\":\"user\",\"displayName\":\"Ada\"},\"remoteAddress\":\"10.1.2.3\",\"creationDate\":1772446500000,\"summary\":\"s\",\"description\":\"\",\"category\":\"c\"," +
            "\"sysAdmin\":false,\"affectedObject\":{\"name\":\"ENG\",\"objectType\":\"Space; archived\"},\"changedValues\":[]," +
            "\"associatedObjects\":[{\"name\":\"a\",\"objectType\":\"T;X\"},{\"name\":\"b\",\"objectType\":\"Page (old)\"}]}";

        var post = Assert.Single(CsvRoundTrip(odd));

        RecordCreationServer.AssertJsonEqual(ExpectedCreate(odd), post.Body);
    }

    [Fact]
    public void Csv_Round_Trip_Keeps_The_Creation_Date_To_The_Millisecond()
    {
        // Audit records have no id: their content, creation date to the millisecond included, is what tells them apart.
        const string withMilliseconds =
            "{\"author\":{\"type\":\"user\",\"displayName\":\"Ada\"},\"remoteAddress\":\"10.1.2.3\",\"creationDate\":1772446500125,\"summary\":\"s\",\"description\":\"\"," +
            "\"category\":\"c\",\"sysAdmin\":false,\"changedValues\":[],\"associatedObjects\":[]}";

        var post = Assert.Single(CsvRoundTrip(withMilliseconds));

        Assert.Equal(1772446500125L, JsonNode.Parse(post.Body!)!["creationDate"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("False", false)]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("", false)]
    public void Csv_SysAdmin_Text_Binds_As_A_Boolean(string text, bool expected)
    {
        var (result, handler) = Run(
            $"'\"RemoteAddress\",\"SysAdmin\"','\"10.0.0.1\",\"{text}\"' | ConvertFrom-Csv | New-ConfluenceAuditRecord -Connection $c");

        Assert.Null(result.Terminating);
        Assert.Empty(result.Errors);
        var post = Assert.Single(handler.Requests);
        Assert.Equal(expected, JsonNode.Parse(post.Body!)!["sysAdmin"]!.GetValue<bool>());
    }
}
