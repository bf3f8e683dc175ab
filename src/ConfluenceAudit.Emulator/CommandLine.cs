using System.Globalization;

namespace ConfluenceAudit.Emulator;

/// <summary>Parses the command line by hand: the host's configuration binder would accept typos
/// silently, and scripts need a clear message and exit code 2 for a bad argument.</summary>
internal static class CommandLine
{
    public const string Usage = """
        ConfluenceAudit.Emulator - a local emulator of Confluence Cloud's audit-log REST API.

        Usage: ConfluenceAudit.Emulator [options]

          --port N                 TCP port on 127.0.0.1 (default 0 = any free port)
          --records N              records to seed (default 1000)
          --seed N                 seed for the deterministic records (default 1)
          --span-days N            seeded records spread over the last N days (default 90)
          --anchor-ms EPOCHMS      count the seeded dates back from this instant instead of the start
                                   time (same seed + same anchor = byte-identical records)
          --max-limit N            server cap on a page's limit (default 1000)
          --latency-ms N           delay every API request by N ms (default 0)
          --size-total             report the total match count in "size" instead of the page count
          --admin-email E          admin's email for Basic auth (default admin@example.com)
          --admin-api-token T      admin's API token (default emulator-admin-token)
          --admin-pat T            admin's Bearer token (default emulator-admin-pat)
          --user-email E           non-admin's email (default user@example.com)
          --user-api-token T       non-admin's API token (default emulator-user-token)
          --user-pat T             non-admin's Bearer token (default emulator-user-pat)
          --retention-number N     initial retention number (default 3)
          --retention-units U      initial retention units (default MONTHS)
          --quiet                  no per-request line on stderr
          --exit-on-stdin-close    stop when standard input reaches end of file
          --help                   show this text

        Fault injection (API requests under /wiki/rest/ only; control endpoints are never affected):
          --failure-rate R         each API request fails with probability R, 0 to 1 (default 0)
          --fault-kinds K,K,...    the mix failures are drawn from, uniformly; repeat a kind to weight it
                                   (default 429,503). Kinds:
                                     429        429, Retry-After in seconds, X-RateLimit-Limit/-Remaining/-Reset,
                                                RateLimit-Reason
                                     429-date   429, Retry-After as an HTTP-date (rounded up to the second)
                                     429-huge   429, Retry-After: 9223372036854775807
                                     503        503 with Retry-After in seconds
                                     503-plain  503 without Retry-After
                                     drop       200 and about half of the body, then the connection is aborted
                                                (the request IS handled: a POST creates its record)
                                     reset      the connection is aborted before any response (not handled)
                                     slow       answer after --slow-ms (ends early when the client goes away)
                                     short      a page GET gets about half its records, echoing the full limit
                                     none       no fault (a placeholder in --fault-queue)
          --fault-queue K,K,...    faults for the next matching requests, exactly these, in order; then the rate
          --retry-after-sec N      Retry-After of 429, 429-date and 503 (default 1)
          --slow-ms N              delay of the 'slow' fault (default 1000)
          --fault-seed N           seed of the random draws (default 1): same seed + same requests = same faults
          --fault-path P           faults only for this path (a trailing * makes it a prefix), e.g.
                                   /wiki/rest/api/audit
          --fault-method M         faults only for this method, e.g. GET
          --insert-per-request N   insert N new records (dated now) right before answering each GET of
                                   /audit or /audit/since, as if the site were busy (default 0)
          --ignore-start           serve every page as if start=0 (a broken server, for stall detection)

        Control endpoints (loopback only, never logged, never faulted):
          GET    /__emulator/requests        the request log: method, path, query, status (0 when a fault
                                             aborted it), aborted, fault, authScheme, body, userAgent,
                                             receivedMs (epoch ms)
          DELETE /__emulator/requests        clear it
          POST   /__emulator/records?count=N[&creationDate=EPOCHMS]   insert N generated records
          GET    /__emulator/records/count
          GET    /__emulator/config          {maxLimit, sizeIsTotal, latencyMs}; POST any subset to change
          GET    /__emulator/faults          the fault settings and what is left of the queue
          POST   /__emulator/faults          replace them: {"failureRate":0.2, "kinds":["429","drop"],
                                             "retryAfterSec":0, "slowMs":500, "seed":7, "queue":["429","none",
                                             "drop"], "path":"/wiki/rest/api/audit", "method":"GET",
                                             "insertPerRequest":3, "ignoreStart":false} (members left out take
                                             their defaults)
          DELETE /__emulator/faults          no faults
          GET    /__emulator/stats           {apiRequests, faultsInjected, faultsByKind, recordsInserted,
                                             queueRemaining}
          DELETE /__emulator/stats           zero the counters
          POST   /__emulator/reset           seeded records, start-up config, empty log, no faults, zero counters

        Prints one line when listening:
          ConfluenceAudit emulator listening on http://127.0.0.1:PORT (base URL http://127.0.0.1:PORT/wiki)
        """;

    /// <summary>Returns the options, or null with <paramref name="error"/> set. <paramref name="help"/>
    /// is true when --help was given (then nothing else is checked).</summary>
    public static EmulatorOptions? Parse(string[] args, out bool help, out string? error)
    {
        help = false;
        error = null;
        var o = new EmulatorOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string name = arg;
            string? inlineValue = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2)
            {
                name = arg[..eq];
                inlineValue = arg[(eq + 1)..];
            }

            // Reads the option's value from "--name=value" or the next argument.
            string? Value()
            {
                if (inlineValue is not null) return inlineValue;
                if (i + 1 < args.Length) return args[++i];
                return null;
            }

            switch (name)
            {
                case "--help" or "-h" or "-?":
                    help = true;
                    return o;
                case "--size-total": o = o with { SizeIsTotal = true }; break;
                case "--quiet": o = o with { Quiet = true }; break;
                case "--exit-on-stdin-close": o = o with { ExitOnStdinClose = true }; break;
                case "--port": o = o with { Port = Int(name, Value(), 0, 65535, ref error) }; break;
                case "--records": o = o with { Records = Int(name, Value(), 0, 10_000_000, ref error) }; break;
                case "--seed": o = o with { Seed = Long(name, Value(), long.MinValue, long.MaxValue, ref error) }; break;
                case "--span-days": o = o with { SpanDays = Int(name, Value(), 1, 36_500, ref error) }; break;
                case "--anchor-ms": o = o with { AnchorEpochMs = Long(name, Value(), 0, 253_402_300_799_000, ref error) }; break;
                case "--max-limit": o = o with { MaxLimit = Int(name, Value(), 1, int.MaxValue, ref error) }; break;
                case "--latency-ms": o = o with { LatencyMs = Int(name, Value(), 0, 600_000, ref error) }; break;
                case "--retention-number": o = o with { RetentionNumber = Int(name, Value(), 1, int.MaxValue, ref error) }; break;
                case "--retention-units": o = o with { RetentionUnits = Text(name, Value(), ref error) }; break;
                case "--admin-email": o = o with { AdminEmail = Text(name, Value(), ref error) }; break;
                case "--admin-api-token": o = o with { AdminApiToken = Text(name, Value(), ref error) }; break;
                case "--admin-pat": o = o with { AdminPat = Text(name, Value(), ref error) }; break;
                case "--user-email": o = o with { UserEmail = Text(name, Value(), ref error) }; break;
                case "--user-api-token": o = o with { UserApiToken = Text(name, Value(), ref error) }; break;
                case "--user-pat": o = o with { UserPat = Text(name, Value(), ref error) }; break;
                case "--failure-rate": o = o with { Faults = o.Faults with { FailureRate = Rate(name, Value(), ref error) } }; break;
                case "--fault-kinds": o = o with { Faults = o.Faults with { Kinds = List(name, Value(), ref error) } }; break;
                case "--fault-queue": o = o with { Faults = o.Faults with { Queue = List(name, Value(), ref error) } }; break;
                case "--retry-after-sec": o = o with { Faults = o.Faults with { RetryAfterSec = Int(name, Value(), 0, 86_400, ref error) } }; break;
                case "--slow-ms": o = o with { Faults = o.Faults with { SlowMs = Int(name, Value(), 0, 600_000, ref error) } }; break;
                case "--fault-seed": o = o with { Faults = o.Faults with { Seed = Long(name, Value(), long.MinValue, long.MaxValue, ref error) } }; break;
                case "--fault-path": o = o with { Faults = o.Faults with { Path = Text(name, Value(), ref error) } }; break;
                case "--fault-method": o = o with { Faults = o.Faults with { Method = Text(name, Value(), ref error).ToUpperInvariant() } }; break;
                case "--insert-per-request": o = o with { Faults = o.Faults with { InsertPerRequest = Int(name, Value(), 0, 10_000, ref error) } }; break;
                case "--ignore-start": o = o with { Faults = o.Faults with { IgnoreStart = true } }; break;
                default:
                    error = $"Unknown argument '{arg}'. Use --help for the list of options.";
                    break;
            }

            if (error is not null) return null;
        }

        if (!ChronoUnits.IsRetentionUnit(o.RetentionUnits))
        {
            error = $"--retention-units must be one of {string.Join(", ", ChronoUnits.RetentionUnits)}; got '{o.RetentionUnits}'.";
            return null;
        }

        if (o.Faults.Validate() is { } faultError)
        {
            error = faultError.Replace("failureRate", "--failure-rate", StringComparison.Ordinal)
                .Replace("retryAfterSec", "--retry-after-sec", StringComparison.Ordinal)
                .Replace("slowMs", "--slow-ms", StringComparison.Ordinal)
                .Replace("insertPerRequest", "--insert-per-request", StringComparison.Ordinal)
                .Replace("path must", "--fault-path must", StringComparison.Ordinal)
                .Replace("kinds must", "--fault-kinds must", StringComparison.Ordinal);
            return null;
        }

        return o;
    }

    private static double Rate(string name, string? value, ref string? error)
    {
        if (value is null
            || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double r)
            || double.IsNaN(r) || r < 0 || r > 1)
        {
            error = $"{name} needs a number from 0 to 1; got '{value}'.";
            return 0;
        }

        return r;
    }

    private static string[] List(string name, string? value, ref string? error)
    {
        string[] items = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(FaultConfigUpdate.Normalize).ToArray();
        if (items.Length == 0)
        {
            error = $"{name} needs a comma-separated list of fault kinds ({string.Join(", ", FaultKinds.All)}).";
        }

        return items;
    }

    private static string Text(string name, string? value, ref string? error)
    {
        if (string.IsNullOrEmpty(value))
        {
            error = $"{name} needs a non-empty value.";
            return "";
        }

        return value;
    }

    private static int Int(string name, string? value, int min, int max, ref string? error) =>
        (int)Long(name, value, min, max, ref error);

    private static long Long(string name, string? value, long min, long max, ref string? error)
    {
        if (value is null
            || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            || n < min || n > max)
        {
            error = value is null
                ? $"{name} needs a value (a whole number from {min} to {max})."
                : $"{name} needs a whole number from {min} to {max}; got '{value}'.";
            return 0;
        }

        return n;
    }
}
