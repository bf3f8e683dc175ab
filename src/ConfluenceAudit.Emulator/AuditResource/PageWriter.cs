using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using ConfluenceAudit.Emulator.Http;
using ConfluenceAudit.Emulator.Store;

namespace ConfluenceAudit.Emulator.AuditResource;

/// <summary>Writes an AuditRecordArray straight from the stored UTF-8 JSON of each record: no record is
/// serialized again, and the exact Content-Length is known before the first byte goes out.</summary>
internal static class PageWriter
{
    private static readonly byte[] Prefix = """{"results":["""u8.ToArray();
    private const int FlushEvery = 64 * 1024;

    /// <param name="sizeIsTotal">When true, "size" is the number of matching records rather than the
    /// page's count (a quirk some servers show; clients must not rely on either).</param>
    /// <param name="shortTo">When set, at most this many records, while the echoed limit stays
    /// <paramref name="limit"/>: a short page in the middle of a listing (an injected fault).</param>
    /// <param name="contextPath">/wiki on Cloud; the context path of a Data Center server (its legacy resource).</param>
    public static async Task WriteAsync(HttpContext context, RecordSelection selection, int start, int limit, bool sizeIsTotal, int? shortTo = null, string contextPath = "/wiki")
    {
        int available = Math.Max(0, selection.Count - start);
        int count = Math.Min(limit, available);
        if (shortTo is int most)
        {
            count = Math.Min(count, most);
        }

        byte[] suffix = Suffix(context, start, limit, sizeIsTotal ? selection.Count : count, contextPath);

        long length = Prefix.Length + suffix.Length + Math.Max(0, count - 1);
        for (int k = 0; k < count; k++)
        {
            length += selection.JsonOfNewest(start + k).Length;
        }

        HttpResponse response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json;charset=UTF-8";
        response.ContentLength = length;

        PipeWriter writer = response.BodyWriter;
        writer.Write(Prefix);
        long unflushed = Prefix.Length;
        for (int k = 0; k < count; k++)
        {
            if (k > 0)
            {
                writer.Write(","u8);
            }

            ReadOnlySpan<byte> json = selection.JsonOfNewest(start + k).Span;
            writer.Write(json);
            unflushed += json.Length + 1;
            if (unflushed >= FlushEvery)
            {
                FlushResult flushed = await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return;
                }

                unflushed = 0;
            }
        }

        writer.Write(suffix);
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    // ],"start":S,"limit":L,"size":N,"_links":{"base":..,"context":"/wiki","self":..}}
    private static byte[] Suffix(HttpContext context, int start, int limit, int size, string contextPath)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        string numbers = string.Create(
            CultureInfo.InvariantCulture, $"],\"start\":{start},\"limit\":{limit},\"size\":{size},\"_links\":");
        buffer.Write(Encoding.UTF8.GetBytes(numbers));
        using (var w = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            WriteLinks(w, context, contextPath);
        }

        buffer.Write("}"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Confluence's <c>_links</c>: the site's base URL (with /wiki), the context path and the
    /// request's own URL. No <c>next</c>: the audit resource never sends one.</summary>
    private static void WriteLinks(Utf8JsonWriter w, HttpContext context, string contextPath)
    {
        string origin = Origin(context);
        w.WriteStartObject();
        w.WriteString("base", origin + contextPath);
        w.WriteString("context", contextPath);
        w.WriteString("self", origin + context.Request.Path + context.Request.QueryString);
        w.WriteEndObject();
    }

    /// <summary>http://127.0.0.1:PORT (https with --https), from the connection rather than the Host header:
    /// Confluence builds links from its configured base URL, not from what the client called it.</summary>
    public static string Origin(HttpContext context) =>
        $"{(context.Request.IsHttps ? "https" : "http")}://127.0.0.1:{context.Connection.LocalPort}";
}
