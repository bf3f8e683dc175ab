using ConfluenceAudit.Emulator.DataCenter;

namespace ConfluenceAudit.Emulator.Store;

/// <summary>One stored record: its creationDate (the sort key) and its JSON, serialized once. The JSON
/// is usually a slice of a shared 1 MiB chunk (see <see cref="JsonArena"/>), so a million records are
/// a few hundred large arrays for the GC, not a million small ones. In Data Center mode it also carries
/// the same record as the auditing framework's event (<paramref name="Event"/>); Cloud mode leaves it null.</summary>
internal readonly record struct StoredRecord(long CreationDate, ReadOnlyMemory<byte> Json, DataCenterEvent? Event = null);
