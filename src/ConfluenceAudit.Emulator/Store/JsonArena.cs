using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ConfluenceAudit.Emulator.Http;

namespace ConfluenceAudit.Emulator.Store;

/// <summary>Serializes records back to back into 1 MiB chunks and hands out slices. A million records
/// as a million byte arrays cost the GC several seconds of promotion work while seeding; as ~600 chunks
/// on the large object heap they cost nothing. One arena per thread: not thread-safe.</summary>
internal sealed class JsonArena : IDisposable
{
    public const int DefaultChunkSize = 1024 * 1024;
    private readonly int _chunkSize;
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private readonly Utf8JsonWriter _writer;
    private byte[] _chunk = [];
    private int _used;

    /// <param name="chunkSize">Smaller for small batches, so inserting one record does not pin 1 MiB.</param>
    public JsonArena(int chunkSize = DefaultChunkSize)
    {
        _chunkSize = chunkSize;
        _writer = new Utf8JsonWriter(_scratch, EmulatorJson.WriterOptions);
    }

    /// <summary>The record's JSON (the same bytes as JsonSerializer.SerializeToUtf8Bytes would give).</summary>
    public ReadOnlyMemory<byte> Serialize<T>(T value, JsonTypeInfo<T> type)
    {
        _scratch.ResetWrittenCount();
        _writer.Reset();
        JsonSerializer.Serialize(_writer, value, type);
        return Copy(_scratch.WrittenSpan);
    }

    private ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> json)
    {
        if (json.Length > _chunkSize)
        {
            return json.ToArray();
        }

        if (_chunk.Length - _used < json.Length)
        {
            _chunk = new byte[_chunkSize];
            _used = 0;
        }

        json.CopyTo(_chunk.AsSpan(_used));
        var slice = new ReadOnlyMemory<byte>(_chunk, _used, json.Length);
        _used += json.Length;
        return slice;
    }

    public void Dispose() => _writer.Dispose();
}
