using System.Net;
using System.Net.Http.Headers;
using ConfluenceAudit.Models;
using Xunit.Abstractions;

namespace ConfluenceAudit.Tests.Fakes;

/// <summary>
/// What the fuzz tests share: a server that answers one malformed variant, either on every request (a server stuck on
/// it) or once before a valid end, and stops a run that loops; and the run over all variants, which requires each to
/// end within a number of requests in success or one of the module's error ids, never another exception type.
/// </summary>
internal sealed class FuzzServer : IDisposable
{
    private static readonly string[] ModuleErrorIds = { "ConfluenceInvalidResponse", "ConfluencePagingStalled", "ConfluenceUnexpectedResponse" };
    private readonly CancellationTokenSource loop = new(TimeSpan.FromSeconds(30));
    private int requests;

    /// <param name="variant">The malformed body.</param>
    /// <param name="stuck">Whether every request gets it, or only the first.</param>
    /// <param name="validEnd">The answer to every later request when not stuck.</param>
    public FuzzServer(byte[] variant, bool stuck, string mediaType, Func<HttpRequestMessage, byte[]> validEnd)
    {
        Handler = new FakeHttpHandler(request =>
        {
            if (Interlocked.Increment(ref requests) > 100)
            {
                loop.Cancel(); // a loop: the check on the count reports it
            }

            return Answer(requests == 1 || stuck ? variant : validEnd(request), mediaType);
        });
    }

    public FakeHttpHandler Handler { get; }

    /// <summary>Cancelled once the run has sent more requests than any finite one needs.</summary>
    public CancellationToken LoopToken => loop.Token;

    /// <summary>Runs <paramref name="read"/> and tells how it ended: <paramref name="success"/>, ConfluenceApiException:id,
    /// or another exception's type and message; with the requests it sent.</summary>
    public async Task<(string Outcome, int Requests)> RunAsync(Func<CancellationToken, Task> read, string success)
    {
        try
        {
            await read(loop.Token);
            return (success, requests);
        }
        catch (ConfluenceApiException exception)
        {
            return (nameof(ConfluenceApiException) + ":" + exception.ErrorId, requests);
        }
        catch (Exception exception)
        {
            return (exception.GetType().Name + ": " + exception.Message, requests);
        }
    }

    public void Dispose() => loop.Dispose();

    /// <summary>
    /// Runs <paramref name="variants"/> variants from a generator seeded with <paramref name="seed"/>, writes the
    /// figures (variants, most requests for one, outcomes), and fails on any variant that did not end in
    /// <paramref name="success"/> or a module error within <paramref name="maxRequests"/> requests.
    /// </summary>
    public static async Task CheckAllAsync(int variants, int seed, int maxRequests, string success, ITestOutputHelper output,
        Func<int, Random, Task<(string Description, string Outcome, int Requests)>> runVariant)
    {
        var random = new Random(seed);
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var mostRequests = 0;
        var failures = new List<string>();
        for (var i = 0; i < variants; i++)
        {
            var (description, outcome, requests) = await runVariant(i, random);
            mostRequests = Math.Max(mostRequests, requests);
            outcomes[outcome] = outcomes.TryGetValue(outcome, out var n) ? n + 1 : 1;
            var known = outcome == success || ModuleErrorIds.Any(id => outcome == nameof(ConfluenceApiException) + ":" + id);
            if (!known || requests > maxRequests)
            {
                failures.Add($"variant {i} ({description}): {outcome} after {requests} requests");
            }
        }

        output.WriteLine($"{variants} variants (seed {seed}); at most {mostRequests} requests for one variant; outcomes: " +
            string.Join(", ", outcomes.Select(pair => $"{pair.Key} {pair.Value}")));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
        Assert.True(outcomes.Keys.Count(k => k.StartsWith(nameof(ConfluenceApiException), StringComparison.Ordinal)) >= 2, "the generator should reach several error ids");
        Assert.True(outcomes.ContainsKey(success), "some variants are still valid answers");
    }

    private static HttpResponseMessage Answer(byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }
}
