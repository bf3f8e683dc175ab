using System;

namespace ConfluenceAudit.Export;

/// <summary>Byte-level helpers for CSV rows, which are kept as the bytes the server sent.</summary>
internal static class ByteRows
{
    public static bool EndsWithLineBreak(this byte[] bytes) => bytes.Length > 0 && bytes[bytes.Length - 1] == (byte)'\n';

    public static byte[] Concat(this byte[] first, byte[] second)
    {
        var joined = new byte[first.Length + second.Length];
        Buffer.BlockCopy(first, 0, joined, 0, first.Length);
        Buffer.BlockCopy(second, 0, joined, first.Length, second.Length);
        return joined;
    }

    public static bool SequenceEqualTo(this byte[] first, byte[] second)
    {
        if (first.Length != second.Length)
        {
            return false;
        }

        for (var i = 0; i < first.Length; i++)
        {
            if (first[i] != second[i])
            {
                return false;
            }
        }

        return true;
    }
}
