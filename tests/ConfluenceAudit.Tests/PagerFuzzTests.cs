using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Tests.Fakes;
using Xunit.Abstractions;

namespace ConfluenceAudit.Tests;

/// <summary>
/// Malformed answers through the real pagers. From a valid Cloud page and a valid Data Center page, a generator with a
/// fixed seed derives variants (fields dropped, retyped, nulled, duplicated; arrays emptied or nested; bodies cut at a
/// random byte; bytes that are not UTF-8; nesting deeper than any answer; cursors and links repeated) and serves each
/// either on every request (a server stuck on it) or once before a valid end. Every variant must end, within
/// <see cref="MaxRequests"/> requests, in records or in a ConfluenceApiException with one of the module's error ids:
/// never another exception type, never a loop (see <see cref="FuzzServer"/>).
/// </summary>
public class PagerFuzzTests
{
    private const int Variants = 2400;
    private const int Seed = 20261202;
    private const int MaxRequests = 20;

    private readonly ITestOutputHelper output;

    public PagerFuzzTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public Task Every_Malformed_Variant_Ends_In_Records_Or_A_Module_Error_Within_Twenty_Requests() =>
        FuzzServer.CheckAllAsync(Variants, Seed, MaxRequests, "records", output, async (i, random) =>
        {
            var dataCenter = i % 2 == 1;
            var stuck = (i / 2) % 2 == 0;
            var (description, body) = Mutate(dataCenter ? DataCenterPage() : CloudPage(), random, dataCenter);
            var (outcome, requests) = await RunAsync(dataCenter, stuck, body);
            return ($"{(dataCenter ? "Data Center" : "Cloud")}, {(stuck ? "every request" : "once")}, {description}", outcome, requests);
        });

    private static async Task<(string Outcome, int Requests)> RunAsync(bool dataCenter, bool stuck, byte[] variant)
    {
        using var server = new FuzzServer(variant, stuck, "application/json",
            request => Encoding.UTF8.GetBytes(dataCenter ? LastDataCenterPage : EmptyCloudPage(request.RequestUri!)));
        var waits = new List<TimeSpan>();
        using var client = TestClients.Create(server.Handler, retry: TestClients.InstantRetries(waits, RetryPolicy.DefaultMaximumRetryCount));
        using IAuditRecordSource pager = dataCenter
            ? new DataCenterEventPager(client, TestClients.All(), 0, ulong.MaxValue, 2)
            : new AuditRecordPager(client, TestClients.All(), 0, ulong.MaxValue, 3, 4);
        return await server.RunAsync(async token =>
        {
            while (await pager.NextPageAsync(NullOperationLog.Instance, token) is { } page)
            {
                Assert.All(page, record => Assert.NotNull(record.CreationDate));
            }
        }, "records");
    }

    private static string EmptyCloudPage(Uri uri)
    {
        var start = QueryString.Parse(uri).TryGetValue("start", out var s) ? s : "0";
        return "{\"results\":[],\"start\":" + start + ",\"limit\":3,\"size\":0}";
    }

    private const string LastDataCenterPage = "{\"entities\":[],\"pagingInfo\":{\"lastPage\":true,\"size\":0}}";

    private static JsonNode CloudPage() => JsonNode.Parse(Responses.Page(new[]
    {
        Responses.Record("first", FakeAuditServer.NewestCreationDate),
        Responses.Record("second", FakeAuditServer.NewestCreationDate - 1000),
        Responses.Record("third", FakeAuditServer.NewestCreationDate - 2000),
    }, 0, 3))!;

    private static JsonNode DataCenterPage() => JsonNode.Parse(
        "{\"entities\":[" + DataCenterEvent("2026-03-02T10:15:00.125Z", "Space permission added") + "," +
        DataCenterEvent("2026-03-02T10:14:00Z", "Page created") + "]," +
        "\"pagingInfo\":{\"lastPage\":false,\"size\":2,\"nextPageOffset\":2,\"nextPageCursor\":\"1772446440000,4711\"," +
        "\"nextPageLink\":\"https://wiki.example.com/confluence/rest/auditing/1.0/events?limit=2&pageCursor=1772446440000,4711\"}}")!;

    private static string DataCenterEvent(string timestamp, string action) =>
        "{\"timestamp\":\"" + timestamp + "\",\"author\":{\"name\":\"Ada Admin\",\"type\":\"user\",\"id\":\"8a7f8085\",\"uri\":\"\",\"avatarUri\":\"\"}," +
        "\"type\":{\"category\":\"Permissions\",\"categoryI18nKey\":\"audit.logging.category.permissions\",\"action\":\"" + action + "\",\"actionI18nKey\":\"a.b\"}," +
        "\"affectedObjects\":[{\"name\":\"ENG\",\"type\":\"Space\",\"id\":\"98306\"}],\"changedValues\":[{\"key\":\"Group\",\"i18nKey\":\"Group\",\"to\":\"engineers\"}]," +
        "\"source\":\"10.1.2.3\",\"system\":\"https://wiki.example.com/confluence\",\"method\":\"Browser\",\"extraAttributes\":[]}";

    /// <summary>One malformed variant of <paramref name="page"/>: a description and the body's bytes.</summary>
    private static (string Description, byte[] Body) Mutate(JsonNode page, Random random, bool dataCenter)
    {
        var kind = random.Next(12);
        switch (kind)
        {
            case 9:
            {
                var bytes = Encoding.UTF8.GetBytes(page.ToJsonString());
                var cut = random.Next(bytes.Length);
                return ($"body cut at byte {cut} of {bytes.Length}", bytes.Take(cut).ToArray());
            }

            case 10:
            {
                var bytes = Encoding.UTF8.GetBytes(page.ToJsonString()).ToList();
                var at = random.Next(bytes.Count);
                var bad = new[] { (byte)0xFF, (byte)0xC3, (byte)0x80, (byte)0xED, (byte)0xA0 }[random.Next(5)];
                bytes.Insert(at, bad);
                return ($"byte 0x{bad:X2} inserted at {at}", bytes.ToArray());
            }

            case 11:
            {
                var depth = 20 + random.Next(200);
                var text = page.ToJsonString();
                var nested = string.Concat(Enumerable.Repeat("[", depth)) + "1" + string.Concat(Enumerable.Repeat("]", depth));
                return ($"a value nested {depth} deep", Encoding.UTF8.GetBytes(text.Insert(1, "\"deep\":" + nested + ",")));
            }
        }

        var nodes = new List<(JsonNode Parent, object Key, string Path)>();
        Collect(page, "$", nodes);
        var (parent, key, path) = nodes[random.Next(nodes.Count)];
        var target = parent is JsonObject o ? o[(string)key] : ((JsonArray)parent)[(int)key];
        string description;
        switch (kind)
        {
            case 0:
                description = $"{path} dropped";
                Remove(parent, key);
                break;
            case 1:
                description = $"{path} nulled";
                Set(parent, key, null);
                break;
            case 2:
                var replacement = Retype(random);
                description = $"{path} retyped to {replacement?.ToJsonString() ?? "null"}";
                Set(parent, key, replacement);
                break;
            case 3:
                description = $"{path} wrapped in an array";
                Set(parent, key, new JsonArray(target?.DeepClone()));
                break;
            case 4:
                var array = FindArray(page, random);
                description = array is null ? "no array to empty" : $"{array.GetPath()} emptied";
                array?.Clear();
                break;
            case 5:
                var list = FindArray(page, random);
                description = list is null || list.Count == 0 ? "no entry to duplicate" : $"{list.GetPath()}[0] duplicated";
                if (list is { Count: > 0 })
                {
                    list.Add(list[0]!.DeepClone());
                }

                break;
            case 6:
                // A key written twice in one object: the JSON types take the last one.
                var text = page.ToJsonString();
                var at = text.IndexOf(dataCenter ? "\"timestamp\":" : "\"creationDate\":", StringComparison.Ordinal);
                var duplicate = dataCenter ? "\"timestamp\":\"words\"," : "\"creationDate\":\"yesterday\",";
                return ("a date key duplicated with a word", Encoding.UTF8.GetBytes(text.Insert(at, duplicate)));
            case 7:
                description = "the body is an HTML page";
                return (description, Encoding.UTF8.GetBytes("<!DOCTYPE html><html><head><title>Log in</title></head><body>Proxy error</body></html>"));
            default:
                var entries = page[dataCenter ? "entities" : "results"]!.AsArray();
                var filler = new JsonNode?[] { null, JsonValue.Create(42), JsonValue.Create("record"), new JsonArray(), new JsonObject() }[random.Next(5)];
                description = $"an entry {filler?.ToJsonString() ?? "null"} added";
                entries.Insert(random.Next(entries.Count + 1), filler);
                break;
        }

        return (description, Encoding.UTF8.GetBytes(page.ToJsonString()));
    }

    private static JsonNode? Retype(Random random) => random.Next(7) switch
    {
        0 => JsonValue.Create(-1),
        1 => JsonValue.Create("text"),
        2 => JsonValue.Create(true),
        3 => new JsonArray(JsonValue.Create(1)),
        4 => new JsonObject { ["x"] = 1 },
        5 => JsonValue.Create(long.MaxValue),
        _ => JsonValue.Create(1.5),
    };

    private static JsonArray? FindArray(JsonNode root, Random random)
    {
        var arrays = new List<(JsonNode Parent, object Key, string Path)>();
        Collect(root, "$", arrays);
        var candidates = arrays.Select(a => a.Parent is JsonObject o ? o[(string)a.Key] : ((JsonArray)a.Parent)[(int)a.Key]).OfType<JsonArray>().ToList();
        return candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)];
    }

    private static void Collect(JsonNode node, string path, List<(JsonNode, object, string)> into)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, child) in obj.ToList())
            {
                into.Add((obj, name, path + "." + name));
                if (child is not null)
                {
                    Collect(child, path + "." + name, into);
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                into.Add((array, i, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]"));
                if (array[i] is { } child)
                {
                    Collect(child, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", into);
                }
            }
        }
    }

    private static void Remove(JsonNode parent, object key)
    {
        if (parent is JsonObject o)
        {
            o.Remove((string)key);
        }
        else
        {
            ((JsonArray)parent).RemoveAt((int)key);
        }
    }

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject o)
        {
            o[(string)key] = value;
        }
        else
        {
            ((JsonArray)parent)[(int)key] = value;
        }
    }
}
