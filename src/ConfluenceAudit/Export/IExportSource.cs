using System;
using System.Threading;
using System.Threading.Tasks;

namespace ConfluenceAudit.Export;

/// <summary>An export's bytes, chunk by chunk: Cloud's download as it comes, or Data Center's assembled CSV.</summary>
internal interface IExportSource : IDisposable
{
    long? Length { get; }

    Task<int> ReadAsync(byte[] buffer, CancellationToken cancellationToken);
}
