using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net;
using System.Text;
using ConfluenceAudit.Http;
using ConfluenceAudit.Listing;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Models;
using ConfluenceAudit.Tests.Fakes;

namespace ConfluenceAudit.Tests.Fakes;

/// <summary>GET /audit/export as a fake server answers it: the CSV, or a ZIP holding it, by the format asked for.</summary>
internal static class ExportServer
{
    public const string EntryName = "audit-log.csv";

    public static readonly byte[] Csv = Encoding.UTF8.GetBytes(
        "\"Date\",\"Author\",\"Category\",\"Summary\",\"Remote address\"\r\n" +
        string.Concat(Enumerable.Range(0, 2000).Select(i =>
            $"\"2026-03-02T10:15:{i % 60:00}Z\",\"Ada Admin\",\"Permissions\",\"Space permission {i}, \"\"quoted\"\" – Ü\",\"10.1.2.{i % 256}\"\r\n")));

    public static readonly byte[] Zip = MakeZip(Csv);

    public static byte[] MakeZip(byte[] csv)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = archive.CreateEntry(EntryName, CompressionLevel.Fastest);
            using var stream = entry.Open();
            stream.Write(csv);
        }

        return buffer.ToArray();
    }

    public static HttpResponseMessage Body(byte[] bytes, string mediaType, long? contentLength = null)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (contentLength.HasValue)
        {
            content.Headers.ContentLength = contentLength;
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    public static HttpResponseMessage Broken(byte[] prefix, string mediaType = "text/csv")
    {
        var content = new StreamContent(new BrokenStream(prefix));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>Answers the export by its format parameter; any other request is a failure of the test.</summary>
    public static FakeHttpHandler Create() => new(request =>
    {
        if (request.Method != HttpMethod.Get || !request.RequestUri!.AbsolutePath.EndsWith("/rest/api/audit/export", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Unexpected request: " + request.Method + " " + request.RequestUri);
        }

        return QueryString.Parse(request.RequestUri).TryGetValue("format", out var format) && format == "zip"
            ? Body(Zip, "application/zip")
            : Body(Csv, "text/csv");
    });
}
