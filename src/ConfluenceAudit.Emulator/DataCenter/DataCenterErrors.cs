using System.Buffers;
using System.Text.Json;
using ConfluenceAudit.Emulator.Http;

namespace ConfluenceAudit.Emulator.DataCenter;

/// <summary>The auditing framework's error body: <c>[{"errors":[{"key","message"}],"message","status","timestamp"}]</c>.</summary>
internal static class DataCenterErrors
{
    public static Task WriteAsync(HttpContext context, int status, string key, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, EmulatorJson.WriterOptions))
        {
            w.WriteStartArray();
            w.WriteStartObject();
            w.WriteStartArray("errors");
            w.WriteStartObject();
            w.WriteString("key", key);
            w.WriteString("message", message);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("message", message);
            w.WriteNumber("status", status);
            w.WriteNumber("timestamp", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            w.WriteEndObject();
            w.WriteEndArray();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }
}
