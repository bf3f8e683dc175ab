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

        return o;
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
