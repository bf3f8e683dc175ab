using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ConfluenceAudit.Http;
using ConfluenceAudit.Serialization;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests.Fakes;

/// <summary>What a fake Confluence needs for New-ConfluenceAuditRecord: GET /audit serves given records, POST /audit echoes the body.</summary>
internal static class RecordCreationServer
{
    /// <summary>Serves <paramref name="records"/> on the first page of GET /audit (empty after), echoes every POST as the created record.</summary>
    public static FakeHttpHandler Create(params string[] records) => new(request =>
    {
        if (request.Method == HttpMethod.Post)
        {
            var body = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
            return Responses.Json(body);
        }

        var start = QueryString.Parse(request.RequestUri!).TryGetValue("start", out var s) ? int.Parse(s, CultureInfo.InvariantCulture) : 0;
        return Responses.Json(Responses.Page(start == 0 ? records : Array.Empty<string>(), start));
    });

    public static List<RecordedRequest> Posts(FakeHttpHandler handler) => handler.Requests.Where(r => r.Method == HttpMethod.Post).ToList();

    /// <summary>Fails with both texts when two JSON documents differ (property order aside).</summary>
    public static void AssertJsonEqual(string expected, string? actual)
    {
        Assert.NotNull(actual);
        var equal = JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual!));
        Assert.True(equal, $"JSON differs.\nexpected: {JsonNode.Parse(expected)!.ToJsonString()}\nactual:   {JsonNode.Parse(actual!)!.ToJsonString()}");
    }

    /// <summary>Runs <paramref name="script"/> in <paramref name="host"/> with $c connected to <paramref name="handler"/>; no output may hold a secret.</summary>
    public static (ScriptResult Result, FakeHttpHandler Handler) Run(PowerShellHost host, string script, FakeHttpHandler? handler = null, RetryPolicy? retry = null)
    {
        handler ??= Create();
        using var connection = PowerShellHost.Connect(handler, retry: retry);
        host.SetVariable("c", connection);
        var result = host.Run(script);
        Assert.All(result.AllText(), TestSecrets.AssertNoSecret);
        return (result, handler);
    }
}
