using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ConfluenceAudit.Emulator.Store;

/// <summary>searchString filtering. A scan reads every record's JSON, so the match list of the last few
/// (snapshot, searchString) pairs is kept: a client paging through a search pays for one scan, not one
/// per page.</summary>
internal sealed class SearchCache
{
    private const int Capacity = 4;
    private readonly Lock _lock = new();
    private readonly LinkedList<(StoreSnapshot Snapshot, string Search, int[] Matches)> _entries = new();

    /// <summary>Ascending snapshot indices of the records whose searched text contains <paramref name="search"/>.</summary>
    public int[] Matches(StoreSnapshot snapshot, string search)
    {
        lock (_lock)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (ReferenceEquals(node.Value.Snapshot, snapshot) && node.Value.Search == search)
                {
                    _entries.Remove(node);
                    _entries.AddFirst(node);
                    return node.Value.Matches;
                }
            }
        }

        // Scanned outside the lock; two identical concurrent searches just both scan.
        int[] matches = Scan(snapshot, search);
        lock (_lock)
        {
            _entries.AddFirst((snapshot, search, matches));
            while (_entries.Count > Capacity)
            {
                _entries.RemoveLast();
            }
        }

        return matches;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }

    private static int[] Scan(StoreSnapshot snapshot, string search)
    {
        var hit = new bool[snapshot.Count];
        Parallel.For(0, snapshot.Count, i => hit[i] = RecordMatches(snapshot.JsonAt(i).Span, search));
        var result = new List<int>();
        for (int i = 0; i < hit.Length; i++)
        {
            if (hit[i])
            {
                result.Add(i);
            }
        }

        return [.. result];
    }

    /// <summary>True when one of the searched string properties contains <paramref name="search"/>:
    /// summary, description, category, remoteAddress, author.displayName, affectedObject.name,
    /// associatedObjects[].name, changedValues[].name/oldValue/newValue. Property names and other
    /// fields (accountId, objectType, dates) are not searched.</summary>
    public static bool RecordMatches(ReadOnlySpan<byte> json, string search)
    {
        var reader = new Utf8JsonReader(json);
        bool inAuthor = false, inAffected = false, inAssociated = false, inChanged = false;
        bool searchedProperty = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    if (reader.CurrentDepth == 1)
                    {
                        inAuthor = reader.ValueTextEquals("author"u8);
                        inAffected = reader.ValueTextEquals("affectedObject"u8);
                        inAssociated = reader.ValueTextEquals("associatedObjects"u8);
                        inChanged = reader.ValueTextEquals("changedValues"u8);
                        searchedProperty = reader.ValueTextEquals("summary"u8)
                            || reader.ValueTextEquals("description"u8)
                            || reader.ValueTextEquals("category"u8)
                            || reader.ValueTextEquals("remoteAddress"u8);
                    }
                    else if (reader.CurrentDepth == 2)
                    {
                        searchedProperty = (inAuthor && reader.ValueTextEquals("displayName"u8))
                            || (inAffected && reader.ValueTextEquals("name"u8));
                    }
                    else
                    {
                        searchedProperty = (inAssociated && reader.ValueTextEquals("name"u8))
                            || (inChanged && (reader.ValueTextEquals("name"u8)
                                || reader.ValueTextEquals("oldValue"u8)
                                || reader.ValueTextEquals("newValue"u8)));
                    }

                    break;
                case JsonTokenType.String when searchedProperty:
                    if (StringContains(ref reader, search))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    private static bool StringContains(ref Utf8JsonReader reader, string search)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return (reader.GetString() ?? "").Contains(search, StringComparison.OrdinalIgnoreCase);
        }

        // Decode into a pooled buffer: no string allocated for the common, unescaped case.
        char[] chars = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            int n = Encoding.UTF8.GetChars(raw, chars);
            return chars.AsSpan(0, n).Contains(search.AsSpan(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
