using System.Globalization;
using System.Text;
using ConfluenceAudit.Export;
using ConfluenceAudit.Logging;
using ConfluenceAudit.Tests.Fakes;
using Xunit.Abstractions;

namespace ConfluenceAudit.Tests;

/// <summary>
/// Malformed answers through Data Center's CSV export, assembled from several responses. From a valid response, a
/// generator with a fixed seed derives variants (cut at a random byte, header dropped or changed, rows repeated or
/// swapped, stray quotes, other line breaks, bytes that are not UTF-8, nothing at all) and serves each either on every
/// request (a server stuck on it) or once before a valid end. Every variant must end, within 20 requests, in a file or
/// in a ConfluenceApiException with one of the module's error ids: never another exception type, never a loop (see
/// <see cref="FuzzServer"/>).
/// </summary>
public class CsvExportFuzzTests
{
    private const int Variants = 1000;
    private const int Seed = 20261202;
    private const int MaxRequests = 20;
    private const string Header = "Timestamp,Author,Category,Action,Summary\r\n";

    private readonly ITestOutputHelper output;

    public CsvExportFuzzTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public Task Every_Malformed_Response_Ends_In_A_File_Or_A_Module_Error_Within_Twenty_Requests() =>
        FuzzServer.CheckAllAsync(Variants, Seed, MaxRequests, "file", output, async (i, random) =>
        {
            var stuck = i % 2 == 0;
            var (description, body) = Mutate(random);
            var (outcome, requests) = await RunAsync(stuck, body);
            return ($"{(stuck ? "every request" : "once")}, {description}", outcome, requests);
        });

    private static async Task<(string Outcome, int Requests)> RunAsync(bool stuck, byte[] variant)
    {
        // The valid end: the header and the row the export last wrote, then nothing new.
        using var server = new FuzzServer(variant, stuck, "text/csv", _ => Encoding.UTF8.GetBytes(Header + LastRowOf(variant)));
        using var client = TestClients.Create(server.Handler, retry: TestClients.NoRetries());
        var window = TestClients.All().ToRange(DateTimeOffset.Parse("2026-03-02T12:00:00Z", CultureInfo.InvariantCulture));
        using var export = new DataCenterCsvExport(client, window, NullOperationLog.Instance);
        return await server.RunAsync(async token =>
        {
            var buffer = new byte[4096];
            while (await export.ReadAsync(buffer, token) > 0)
            {
            }
        }, "file");
    }

    private static string LastRowOf(byte[] variant)
    {
        var lines = Encoding.UTF8.GetString(variant).Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries);
        return lines.Length > 1 ? lines[lines.Length - 1] + "\r\n" : string.Empty;
    }

    private static List<string> ValidRows(Random random)
    {
        var rows = new List<string>();
        var count = random.Next(0, 12);
        for (var i = 0; i < count; i++)
        {
            rows.Add($"2026-03-02T10:{59 - i:D2}:00.{random.Next(1000):D3}Z,\"Ada, Admin\",Permissions,Granted,\"change {i}\"\"quoted\"\"\nsecond line\"\r\n");
        }

        return rows;
    }

    private static (string Description, byte[] Body) Mutate(Random random)
    {
        var rows = ValidRows(random);
        var text = Header + string.Concat(rows);
        switch (random.Next(10))
        {
            case 0:
                var bytes = Encoding.UTF8.GetBytes(text);
                var cut = random.Next(bytes.Length + 1);
                return ($"cut at byte {cut}", bytes.Take(cut).ToArray());
            case 1:
                return ("no header", Encoding.UTF8.GetBytes(string.Concat(rows)));
            case 2:
                return ("another header", Encoding.UTF8.GetBytes("When,Who\r\n" + string.Concat(rows)));
            case 3 when rows.Count > 0:
                var repeated = rows[random.Next(rows.Count)];
                rows.Insert(random.Next(rows.Count + 1), repeated);
                return ("a row repeated", Encoding.UTF8.GetBytes(Header + string.Concat(rows)));
            case 4 when rows.Count > 1:
                (rows[0], rows[rows.Count - 1]) = (rows[rows.Count - 1], rows[0]);
                return ("rows swapped", Encoding.UTF8.GetBytes(Header + string.Concat(rows)));
            case 5:
                var at = random.Next(text.Length + 1);
                return ($"a stray quote at {at}", Encoding.UTF8.GetBytes(text.Insert(at, "\"")));
            case 6:
                return ("line breaks \\n", Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n")));
            case 7:
                var raw = Encoding.UTF8.GetBytes(text).ToList();
                raw.InsertRange(random.Next(raw.Count + 1), new byte[] { 0xC3, 0x28, 0xFF });
                return ("bytes that are not UTF-8", raw.ToArray());
            case 8:
                return ("nothing", Array.Empty<byte>());
            default:
                return ("valid", Encoding.UTF8.GetBytes(text));
        }
    }
}
