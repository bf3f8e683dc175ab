using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ConfluenceAudit.Tests.Fakes;

/// <summary>One request as the handler saw it: method, full URI, every header (request and content) and the body.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The query string decoded as a server would read it (no '+'-as-space rule: the client must not rely on it).</summary>
    public IReadOnlyDictionary<string, string> Query => QueryString.Parse(Uri);
}

/// <summary>
/// Stands in for the network: records every request, then answers from a queue of scripted responses
/// or from a function. An exhausted script fails loudly (a request nobody expected).
/// </summary>
internal sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond;
    private readonly List<RecordedRequest> requests = new();
    private readonly object gate = new();

    public FakeHttpHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        this.respond = respond;
    }

    public FakeHttpHandler(Func<HttpRequestMessage, HttpResponseMessage> respond)
        : this((request, _) => Task.FromResult(respond(request)))
    {
    }

    /// <summary>Raised after a request is recorded, before it is answered.</summary>
    public event Action<RecordedRequest>? RequestReceived;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return requests.ToList();
            }
        }
    }

    /// <summary>Answers with these responses in order; one request more than scripted throws.</summary>
    public static FakeHttpHandler Script(params Func<HttpResponseMessage>[] responses)
    {
        var queue = new Queue<Func<HttpResponseMessage>>(responses);
        var sync = new object();
        return new FakeHttpHandler(request =>
        {
            lock (sync)
            {
                if (queue.Count == 0)
                {
                    throw new InvalidOperationException("Unexpected request (script exhausted): " + request.Method + " " + request.RequestUri);
                }

                return queue.Dequeue()();
            }
        });
    }

    /// <summary>Always answers with a fresh copy of the same response.</summary>
    public static FakeHttpHandler Always(Func<HttpResponseMessage> response) => new(_ => response());

    /// <summary>Never answers: waits until the request is cancelled.</summary>
    public static FakeHttpHandler NeverAnswers() => new(async (_, token) =>
    {
        await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
        throw new InvalidOperationException("unreachable");
    });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(", ", header.Value);
        }

        if (request.Headers.UserAgent.Count > 0)
        {
            headers["User-Agent"] = request.Headers.UserAgent.ToString();
        }

        string? body = null;
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key] = string.Join(", ", header.Value);
            }

            body = await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        lock (gate)
        {
            requests.Add(recorded);
        }

        RequestReceived?.Invoke(recorded);
        var response = await respond(request, cancellationToken).ConfigureAwait(false);
        response.RequestMessage ??= request;
        return response;
    }
}

/// <summary>Ready-made responses.</summary>
internal static class Responses
{
    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Text(HttpStatusCode status, string body, string mediaType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    public static HttpResponseMessage Empty(HttpStatusCode status) =>
        new(status) { Content = new ByteArrayContent(Array.Empty<byte>()) };

    public static HttpResponseMessage Redirect(HttpStatusCode status, string location)
    {
        var response = Text(status, "<html><body>Moved</body></html>", "text/html");
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    /// <summary>A response whose body sends <paramref name="prefix"/> and then stalls (see <see cref="StallingStream"/>).</summary>
    public static HttpResponseMessage Stalling(StallingStream stream, HttpStatusCode status = HttpStatusCode.OK, string mediaType = "application/json")
    {
        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return new HttpResponseMessage(status) { Content = content };
    }

    /// <summary>A page of records in the API's shape.</summary>
    public static string Page(IEnumerable<string> recordJson, int start = 0, int limit = 1000, int? size = null)
    {
        var items = recordJson.ToList();
        return $"{{\"results\":[{string.Join(",", items)}],\"start\":{start},\"limit\":{limit},\"size\":{size ?? items.Count},\"_links\":{{\"base\":\"https://acme.atlassian.net/wiki\",\"context\":\"/wiki\"}}}}";
    }

    public static string Record(string summary, long creationDate = 1772446500125L, string author = "Ada Admin") =>
        $"{{\"author\":{{\"type\":\"user\",\"displayName\":\"{author}\",\"operations\":null,\"accountId\":\"5b10ac8d82e05b22cc7d4ef5\",\"accountType\":\"atlassian\",\"isExternalCollaborator\":false,\"isGuest\":false,\"publicName\":\"{author}\"}}," +
        $"\"remoteAddress\":\"10.1.2.3\",\"creationDate\":{creationDate},\"summary\":\"{summary}\",\"description\":\"\",\"category\":\"Permissions\",\"sysAdmin\":false,\"superAdmin\":false," +
        "\"affectedObject\":{\"name\":\"ENG\",\"objectType\":\"Space\"},\"changedValues\":[],\"associatedObjects\":[]}";
}

internal static class QueryString
{
    public static IReadOnlyDictionary<string, string> Parse(Uri uri)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return result;
        }

        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (!result.TryAdd(key, value))
            {
                throw new InvalidOperationException($"Query parameter '{key}' sent twice: {uri}");
            }
        }

        return result;
    }
}
