using System.Text;
using ConfluenceAudit.Connections;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests;

/// <summary>What goes on the wire: URLs, query strings, headers; and how a page's JSON becomes records.</summary>
public class AuditApiClientTests
{
    private static readonly string EmptyPage = Responses.Page(Array.Empty<string>());

    private static async Task<RecordedRequest> SendOnePageAsync(AuditQuery query, int start = 0, int limit = 1000, ConfluenceCredential? credential = null, Uri? baseUri = null)
    {
        var handler = FakeHttpHandler.Always(() => Responses.Json(EmptyPage));
        using var client = TestClients.Create(handler, credential, baseUri: baseUri);
        await AuditPage.ReadAsync(client, query, start, limit, NullOperationLog.Instance, CancellationToken.None);
        return Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Range_Sends_Get_Audit_With_Epoch_Millisecond_Strings()
    {
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var end = new DateTimeOffset(2026, 3, 2, 10, 15, 0, 125, TimeSpan.Zero);

        var request = await SendOnePageAsync(AuditQuery.Range(start, end, null), start: 0, limit: 1000);

        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("https://acme.atlassian.net/wiki/rest/api/audit?startDate=1772323200000&endDate=1772446500125&start=0&limit=1000", request.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task Range_Dates_With_An_Offset_Are_Sent_As_The_Same_Instant()
    {
        var end = new DateTimeOffset(2026, 3, 2, 11, 15, 0, 125, TimeSpan.FromHours(1));

        var request = await SendOnePageAsync(AuditQuery.Range(null, end, null));

        Assert.Equal("1772446500125", request.Query["endDate"]);
        Assert.False(request.Query.ContainsKey("startDate"));
    }

    [Fact]
    public async Task Range_Without_Dates_Or_Search_Sends_Only_Start_And_Limit()
    {
        var request = await SendOnePageAsync(TestClients.All(), start: 40, limit: 20);

        Assert.Equal("https://acme.atlassian.net/wiki/rest/api/audit?start=40&limit=20", request.Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("space permission", "space%20permission")]
    [InlineData("a&b=c", "a%26b%3Dc")]
    [InlineData("1+1", "1%2B1")]
    [InlineData("100%", "100%25")]
    [InlineData("Müller Ærø", "M%C3%BCller%20%C3%86r%C3%B8")]
    [InlineData("日本", "%E6%97%A5%E6%9C%AC")]
    public async Task SearchString_Is_Percent_Encoded(string search, string encoded)
    {
        var request = await SendOnePageAsync(AuditQuery.Range(null, null, search));

        Assert.Contains("?searchString=" + encoded + "&start=0&limit=1000", request.Uri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(search, request.Query["searchString"]);
        Assert.DoesNotContain("+", request.Uri.Query.Replace("%2B", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_SearchString_Is_Not_Sent()
    {
        var request = await SendOnePageAsync(AuditQuery.Range(null, null, string.Empty));

        Assert.False(request.Query.ContainsKey("searchString"));
    }

    [Fact]
    public async Task Since_Sends_Number_And_Units_In_Upper_Snake_Case()
    {
        var request = await SendOnePageAsync(AuditQuery.Since(3, AuditTimeUnit.HalfDays, "login"), start: 5, limit: 50);

        Assert.Equal("https://acme.atlassian.net/wiki/rest/api/audit/since?number=3&units=HALF_DAYS&searchString=login&start=5&limit=50", request.Uri.AbsoluteUri);
    }

    [Fact]
    public void Since_Refuses_Less_Than_One_Unit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AuditQuery.Since(0, AuditTimeUnit.Days, null));
    }

    [Fact]
    public void Range_Refuses_A_Start_After_The_End()
    {
        var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Throws<ArgumentException>(() => AuditQuery.Range(start, start.AddMilliseconds(-1), null));
    }

    [Fact]
    public async Task Data_Center_Base_Keeps_Its_Context_Path()
    {
        var request = await SendOnePageAsync(TestClients.All(), baseUri: BaseUriNormalizer.Normalize(new Uri("https://wiki.example.com/confluence/")));

        Assert.Equal("https://wiki.example.com/confluence/rest/api/audit?start=0&limit=1000", request.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task Basic_Credential_Sends_Base64_Of_Email_Colon_Token()
    {
        var request = await SendOnePageAsync(TestClients.All(), credential: TestSecrets.Basic());

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(TestSecrets.Email + ":" + TestSecrets.ApiToken));
        Assert.Equal(expected, request.Header("Authorization"));
    }

    [Fact]
    public async Task Basic_Credential_Encodes_Non_Ascii_As_Utf8()
    {
        var credential = ConfluenceCredential.Basic("jürgen", TestSecrets.Secure("pässwörd"));

        var request = await SendOnePageAsync(TestClients.All(), credential: credential);

        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("jürgen:pässwörd")), request.Header("Authorization"));
    }

    [Fact]
    public async Task Bearer_Credential_Sends_The_Token()
    {
        var request = await SendOnePageAsync(TestClients.All(), credential: TestSecrets.Bearer());

        Assert.Equal("Bearer " + TestSecrets.BearerToken, request.Header("Authorization"));
    }

    [Fact]
    public async Task Every_Request_Has_User_Agent_And_Accepts_Json()
    {
        var handler = FakeHttpHandler.Always(() => Responses.Json(EmptyPage));
        using var client = TestClients.Create(handler, userAgent: "ConfluenceAudit/0.1.0 PowerShell/7.6.9");

        await AuditPage.ReadAsync(client, TestClients.All(), 0, 10, NullOperationLog.Instance, CancellationToken.None);
        await AuditPage.ReadAsync(client, TestClients.All(), 10, 10, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r =>
        {
            Assert.Equal("ConfluenceAudit/0.1.0 PowerShell/7.6.9", r.Header("User-Agent"));
            Assert.Contains("application/json", r.Header("Accept"), StringComparison.Ordinal);
            Assert.Null(r.Body);
        });
    }

    [Fact]
    public async Task Verbose_Log_Names_Method_Url_And_Status_Without_The_Secret()
    {
        var handler = FakeHttpHandler.Always(() => Responses.Json(EmptyPage));
        using var client = TestClients.Create(handler);
        var log = new RecordingLog();

        await AuditPage.ReadAsync(client, TestClients.All(), 0, 10, log, CancellationToken.None);

        var line = Assert.Single(log.Messages);
        Assert.Contains("GET https://acme.atlassian.net/wiki/rest/api/audit?start=0&limit=10 -> 200", line, StringComparison.Ordinal);
        TestSecrets.AssertNoSecret(line);
    }

    [Fact]
    public async Task A_Full_Record_Maps_Every_Field()
    {
        const string json = "{\"results\":[{\"author\":{\"type\":\"user\",\"displayName\":\"Ada Admin\",\"operations\":null,\"username\":\"ada\",\"userKey\":\"ff80\"," +
            "\"accountId\":\"5b10ac8d\",\"accountType\":\"atlassian\",\"externalCollaborator\":true,\"isGuest\":true,\"publicName\":\"Ada\"}," +
            "\"remoteAddress\":\"10.1.2.3\",\"creationDate\":1772446500125,\"summary\":\"Space permission added\",\"description\":\"d\",\"category\":\"Permissions\"," +
            "\"sysAdmin\":true,\"superAdmin\":true,\"affectedObject\":{\"name\":\"ENG\",\"objectType\":\"Space\"}," +
            "\"changedValues\":[{\"name\":\"Permission\",\"oldValue\":\"view\",\"hiddenOldValue\":\"\",\"newValue\":\"edit\",\"hiddenNewValue\":\"\"}]," +
            "\"associatedObjects\":[{\"name\":\"engineers\",\"objectType\":\"Group\"}]}],\"start\":0,\"limit\":1000,\"size\":1}";
        using var client = TestClients.Create(FakeHttpHandler.Always(() => Responses.Json(json)));

        var page = await AuditPage.ReadAsync(client, TestClients.All(), 0, 1000, NullOperationLog.Instance, CancellationToken.None);

        var record = Assert.Single(page.Records);
        Assert.Equal(1772446500125L, record.CreationDate!.Value.ToUnixTimeMilliseconds());
        Assert.Equal("Space permission added", record.Summary);
        Assert.Equal("d", record.Description);
        Assert.Equal("Permissions", record.Category);
        Assert.Equal("10.1.2.3", record.RemoteAddress);
        Assert.True(record.SysAdmin);
        Assert.True(record.SuperAdmin);
        Assert.Equal("Ada Admin", record.Author!.DisplayName);
        Assert.Equal("5b10ac8d", record.Author.AccountId);
        Assert.Equal("ada", record.Author.UserName);
        Assert.True(record.Author.IsGuest);
        Assert.True(record.Author.IsExternalCollaborator);
        Assert.Equal("ENG (Space)", record.AffectedObject!.ToString());
        Assert.Equal("Permission: view -> edit", Assert.Single(record.ChangedValues).ToString());
        Assert.Equal("engineers (Group)", record.AssociatedObjects.ToString());
    }

    [Fact]
    public async Task Records_With_Null_Or_Missing_Fields_Map_Without_Exceptions()
    {
        const string json = "{\"results\":[" +
            "{}," +
            "{\"author\":null,\"remoteAddress\":null,\"creationDate\":null,\"summary\":null,\"description\":null,\"category\":null,\"sysAdmin\":null," +
            "\"superAdmin\":null,\"affectedObject\":null,\"changedValues\":null,\"associatedObjects\":null}," +
            "{\"author\":{\"type\":\"user\",\"displayName\":\"System\",\"operations\":null},\"remoteAddress\":\"\"," +
            "\"affectedObject\":{\"name\":\"\",\"objectType\":\"\"},\"changedValues\":[null,{\"name\":null,\"oldValue\":null,\"newValue\":null}]," +
            "\"associatedObjects\":[null,{}],\"somethingNew\":{\"nested\":[1,{\"x\":null}]},\"anotherNewNumber\":3.5}" +
            "],\"start\":0,\"limit\":1000,\"size\":3,\"unknownTopLevel\":true}";
        using var client = TestClients.Create(FakeHttpHandler.Always(() => Responses.Json(json)));

        var page = await AuditPage.ReadAsync(client, TestClients.All(), 0, 1000, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(3, page.Records.Count);
        foreach (var record in page.Records.Take(2))
        {
            Assert.Null(record.Author);
            Assert.Null(record.CreationDate);
            Assert.Null(record.AffectedObject);
            Assert.Equal(string.Empty, record.Summary);
            Assert.Equal(string.Empty, record.Category);
            Assert.Equal(string.Empty, record.Description);
            Assert.Equal(string.Empty, record.RemoteAddress);
            Assert.False(record.SysAdmin);
            Assert.Empty(record.ChangedValues);
            Assert.Empty(record.AssociatedObjects);
            Assert.Equal(string.Empty, record.ChangedValues.ToString());
            _ = record.ToString();
        }

        var system = page.Records[2];
        Assert.Equal("System", system.Author!.DisplayName);
        Assert.Null(system.Author.AccountId);
        Assert.True(system.AffectedObject!.IsEmpty);
        Assert.Equal(string.Empty, system.AffectedObject.ToString());
        Assert.Equal(": " + " -> ", Assert.Single(system.ChangedValues).ToString());
        Assert.Equal(string.Empty, Assert.Single(system.AssociatedObjects).ToString());
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(253402300800000L)]
    [InlineData(-62135596800001L)]
    public async Task Out_Of_Range_Creation_Dates_Clamp_Instead_Of_Failing_The_Page(long creationDate)
    {
        var json = Responses.Page(new[] { Responses.Record("odd", creationDate), Responses.Record("normal") });
        using var client = TestClients.Create(FakeHttpHandler.Always(() => Responses.Json(json)));

        var page = await AuditPage.ReadAsync(client, TestClients.All(), 0, 1000, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(2, page.Records.Count);
        var expected = creationDate > 0 ? DateTimeOffset.MaxValue : DateTimeOffset.MinValue;
        Assert.Equal(expected.UtcDateTime, page.Records[0].CreationDate!.Value.UtcDateTime, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_Negative_Creation_Date_Is_Before_1970()
    {
        var json = Responses.Page(new[] { Responses.Record("old", -1) });
        using var client = TestClients.Create(FakeHttpHandler.Always(() => Responses.Json(json)));

        var page = await AuditPage.ReadAsync(client, TestClients.All(), 0, 1000, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(new DateTimeOffset(1969, 12, 31, 23, 59, 59, 999, TimeSpan.Zero), Assert.Single(page.Records).CreationDate);
    }

    [Fact]
    public async Task Page_Reports_What_The_Server_Echoed()
    {
        var json = Responses.Page(new[] { Responses.Record("a") }, start: 7, limit: 100, size: 12345);
        using var client = TestClients.Create(FakeHttpHandler.Always(() => Responses.Json(json)));

        var page = await AuditPage.ReadAsync(client, TestClients.All(), 7, 500, NullOperationLog.Instance, CancellationToken.None);

        Assert.Equal(7, page.Start);
        Assert.Equal(100, page.Limit);
        Assert.Equal(12345, page.Size);
    }
}
