using System.Globalization;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text;
using ConfluenceAudit.Commands;
using ConfluenceAudit.Http;
using ConfluenceAudit.Models;
using ConfluenceAudit.Retention;
using ConfluenceAudit.Serialization;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests.Fakes;

/// <summary>A fake GET/PUT /audit/retention that keeps the value it was given, as the real resource does.</summary>
internal sealed class FakeRetentionServer
{
    private readonly object gate = new();

    public FakeRetentionServer(int number, string units)
    {
        Number = number;
        Units = units;
        Handler = new FakeHttpHandler(Respond);
    }

    public int Number { get; private set; }

    public string Units { get; private set; }

    public FakeHttpHandler Handler { get; }

    public List<RecordedRequest> Puts => Handler.Requests.Where(r => r.Method == HttpMethod.Put).ToList();

    public List<string> Methods => Handler.Requests.Select(r => r.Method.Method).ToList();

    private HttpResponseMessage Respond(HttpRequestMessage request)
    {
        if (!request.RequestUri!.AbsolutePath.EndsWith("/rest/api/audit/retention", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Unexpected request: " + request.Method + " " + request.RequestUri);
        }

        lock (gate)
        {
            if (request.Method == HttpMethod.Put)
            {
                var body = System.Text.Json.Nodes.JsonNode.Parse(request.Content!.ReadAsStringAsync().GetAwaiter().GetResult())!;
                Number = body["number"]!.GetValue<int>();
                Units = body["units"]!.GetValue<string>();
            }
            else if (request.Method != HttpMethod.Get)
            {
                throw new InvalidOperationException("Unexpected method: " + request.Method);
            }

            return Responses.Json($"{{\"number\":{Number},\"units\":\"{Units}\"}}");
        }
    }
}
