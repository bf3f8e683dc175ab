using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ConfluenceAudit.Http
{
    /// <summary>
    /// Data Center's CSV export (GET {base}/rest/auditing/1.0/events?outputFormat=csv), which caps one response below
    /// what was asked: the file is assembled from as many responses as it takes, paged by offset inside a window whose
    /// end is pinned, with the header row written once, and ends on a response without data rows, never on a short
    /// one. Rows are found with quotes in mind, since a field may hold line breaks. Read chunk by chunk like a download,
    /// so memory stays flat.
    /// </summary>
    internal sealed class DataCenterCsvExport : IExportSource
    {
        private const int RequestedRows = 100000;
        private readonly AuditApiClient client;
        private readonly AuditQuery query;
        private readonly IOperationLog log;
        private readonly byte[] chunk = new byte[81920];
        private readonly MemoryStream pending = new MemoryStream();
        private HttpResponseMessage? response;
        private Stream? body;
        private long offset;
        private bool finished;
        private bool headerWritten;
        private bool inQuotes;
        private bool rowHasContent;
        private bool lastByteWasNewline = true;
        private int rowInResponse;
        private int dataRowsInResponse;

        /// <param name="query">A date range with its end pinned (see <see cref="AuditQuery.ToRange"/>).</param>
        public DataCenterCsvExport(AuditApiClient client, AuditQuery query, IOperationLog log)
        {
            this.client = client;
            this.query = query;
            this.log = log;
        }

        /// <summary>Unknown: the file is assembled from several responses.</summary>
        public long? Length => null;

        public async Task<int> ReadAsync(byte[] buffer, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (pending.Length > pending.Position)
                {
                    return pending.Read(buffer, 0, buffer.Length);
                }

                pending.SetLength(0);
                if (finished)
                {
                    return 0;
                }

                if (body is null)
                {
                    await OpenNextResponseAsync(cancellationToken).ConfigureAwait(false);
                }

                int read;
                using (var timeout = client.CreateTimeout(cancellationToken))
                using (timeout.Token.Register(response!.Dispose))
                {
                    try
                    {
                        read = await body!.ReadAsync(chunk, 0, chunk.Length, timeout.Token).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (client.Translate(exception, "GET " + DataCenterEventPager.EventsPath, cancellationToken) is Exception translated)
                    {
                        throw translated;
                    }
                }

                if (read == 0)
                {
                    EndResponse();
                }
                else
                {
                    Take(read);
                }

                pending.Position = 0;
            }
        }

        public void Dispose()
        {
            body?.Dispose();
            response?.Dispose();
            pending.Dispose();
        }

        private async Task OpenNextResponseAsync(CancellationToken cancellationToken)
        {
            var parameters = DataCenterEventPager.FilterParameters(query);
            parameters.Add(new KeyValuePair<string, string>("outputFormat", "csv"));
            parameters.Add(new KeyValuePair<string, string>("offset", offset.ToString(CultureInfo.InvariantCulture)));
            parameters.Add(new KeyValuePair<string, string>("limit", RequestedRows.ToString(CultureInfo.InvariantCulture)));
            var uri = client.BuildUri(DataCenterEventPager.EventsPath, parameters);
            response = await client.Retry.ExecuteAsync(
                async token =>
                {
                    using var timeout = client.CreateTimeout(token);
                    try
                    {
                        return await client.SendAsync(HttpMethod.Get, uri, null, log, timeout.Token, "text/csv").ConfigureAwait(false);
                    }
                    catch (Exception exception) when (client.Translate(exception, AuditApiClient.Describe(HttpMethod.Get, uri), token) is Exception translated)
                    {
                        throw translated;
                    }
                },
                idempotent: true,
                log,
                cancellationToken).ConfigureAwait(false);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is not null && (mediaType.IndexOf("html", StringComparison.OrdinalIgnoreCase) >= 0 || mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0))
            {
                throw HttpFailures.UnexpectedMediaType(AuditApiClient.Describe(HttpMethod.Get, uri), mediaType, "text/csv");
            }

            body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            rowInResponse = 0;
            dataRowsInResponse = 0;
            inQuotes = false;
            rowHasContent = false;
        }

        /// <summary>Copies the bytes of data rows (and the first response's header row) to the output, counting rows.</summary>
        private void Take(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var b = chunk[i];
                var isHeader = rowInResponse == 0;
                if (!isHeader || !headerWritten)
                {
                    pending.WriteByte(b);
                    lastByteWasNewline = b == (byte)'\n';
                }

                if (b == (byte)'"')
                {
                    inQuotes = !inQuotes;
                }

                if (b == (byte)'\n' && !inQuotes)
                {
                    EndRow();
                }
                else if (b != (byte)'\r')
                {
                    rowHasContent = true;
                }
            }
        }

        private void EndRow()
        {
            if (rowHasContent)
            {
                if (rowInResponse == 0)
                {
                    headerWritten = true;
                }
                else
                {
                    dataRowsInResponse++;
                }

                rowInResponse++;
            }

            rowHasContent = false;
        }

        private void EndResponse()
        {
            if (rowHasContent)
            {
                // The last row had no line break: end it, so the next response's rows start on a line of their own.
                EndRow();
                if (!lastByteWasNewline)
                {
                    pending.WriteByte((byte)'\r');
                    pending.WriteByte((byte)'\n');
                    lastByteWasNewline = true;
                }
            }

            body!.Dispose();
            response!.Dispose();
            body = null;
            response = null;
            if (dataRowsInResponse == 0)
            {
                finished = true;
                return;
            }

            offset += dataRowsInResponse;
            log.Verbose(string.Format(CultureInfo.InvariantCulture, "Exported {0} rows so far; asking for the rows from {0}.", offset));
        }
    }

    /// <summary>An export's bytes, chunk by chunk: Cloud's download as it comes, or Data Center's assembled CSV.</summary>
    internal interface IExportSource : IDisposable
    {
        long? Length { get; }

        Task<int> ReadAsync(byte[] buffer, CancellationToken cancellationToken);
    }
}
