using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Serialization;

namespace ConfluenceAudit.Export;

/// <summary>
/// A file the server sends (GET /audit/export, or one response of Data Center's CSV export), read chunk by chunk
/// so an export of any size takes constant memory.
/// The connection's timeout applies to the response headers and then to each read on its own: a long
/// export that keeps arriving is never cut off, a stalled one is.
/// </summary>
internal sealed class ExportDownload : IExportSource
{
    private readonly AuditHttpClient client;
    private readonly HttpResponseMessage response;
    private readonly Stream body;
    private readonly string request;

    private ExportDownload(AuditHttpClient client, HttpResponseMessage response, Stream body, string request)
    {
        this.client = client;
        this.response = response;
        this.body = body;
        this.request = request;
    }

    /// <summary>The size the server announced, if it did.</summary>
    public long? Length => response.Content.Headers.ContentLength;

    /// <summary>Cloud's (and the older resource's) export: GET /audit/export in the format asked for.</summary>
    public static Task<ExportDownload> OpenAsync(AuditHttpClient client, AuditQuery query, AuditExportFormat format, IOperationLog log, CancellationToken cancellationToken)
    {
        var parameters = query.ToFilterParameters();
        parameters.Add(new System.Collections.Generic.KeyValuePair<string, string>("format", format == AuditExportFormat.Zip ? "zip" : "csv"));
        var expected = format == AuditExportFormat.Zip ? "application/zip" : "text/csv";
        return OpenAsync(client, client.BuildUri(ApiPaths.Export, parameters), expected + ", application/octet-stream;q=0.5", expected, log, cancellationToken);
    }

    /// <summary>
    /// Sends a GET for a file (retried like any GET) and returns once the headers of a successful response are in.
    /// An HTML or JSON answer instead of <paramref name="expected"/> is refused: a login page, or an error page.
    /// </summary>
    public static Task<ExportDownload> OpenAsync(AuditHttpClient client, Uri uri, string accept, string expected, IOperationLog log, CancellationToken cancellationToken) =>
        client.Retry.ExecuteAsync(token => OpenOnceAsync(client, uri, accept, expected, log, token), idempotent: true, log, cancellationToken);

    private static async Task<ExportDownload> OpenOnceAsync(AuditHttpClient client, Uri uri, string accept, string expected, IOperationLog log, CancellationToken cancellationToken)
    {
        var request = AuditHttpClient.Describe(HttpMethod.Get, uri);
        HttpResponseMessage? response = null;
        using var timeout = client.CreateTimeout(cancellationToken);
        try
        {
            // An HTML page the client has refused already (a login page, or a proxy's); a JSON answer is an error body.
            response = await client.SendAsync(HttpMethod.Get, uri, null, log, timeout.Token, accept, expected).ConfigureAwait(false);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is not null && mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw await HttpFailures.UnexpectedContentAsync(response, request, mediaType, expected, timeout.Token).ConfigureAwait(false);
            }

            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            return new ExportDownload(client, response, body, request);
        }
        catch (Exception exception)
        {
            response?.Dispose();
            if (client.Translate(exception, request, cancellationToken) is Exception translated)
            {
                throw translated;
            }

            throw;
        }
    }

    /// <summary>Reads the next chunk; 0 at the end of the body.</summary>
    public async Task<int> ReadAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        using var timeout = client.CreateTimeout(cancellationToken);
        using var abort = ReadAbort.Of(response, timeout.Token);
        try
        {
            return await body.ReadAsync(buffer, 0, buffer.Length, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (client.Translate(exception, request, cancellationToken) is Exception translated)
        {
            throw translated;
        }
    }

    public void Dispose()
    {
        body.Dispose();
        response.Dispose();
    }
}
