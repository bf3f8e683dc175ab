using System.Globalization;
using ConfluenceAudit.Emulator.AuditResource;
using ConfluenceAudit.Emulator.DataCenter;
using ConfluenceAudit.Emulator.Faults;

namespace ConfluenceAudit.Emulator.Hosting;

/// <summary>Parses the command line by hand: the host's configuration binder would accept typos
/// silently, and scripts need a clear message and exit code 2 for a bad argument.</summary>
internal static partial class CommandLine
{
    /// <summary>Returns the options, or null with <paramref name="error"/> set. <paramref name="help"/>
    /// is true when --help was given (then nothing else is checked).</summary>
    public static EmulatorOptions? Parse(string[] args, out bool help, out string? error)
    {
        help = false;
        error = null;
        var o = new EmulatorOptions();
        string? dataCenterOption = null;
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
                if (inlineValue is not null)
                {
                    return inlineValue;
                }

                if (i + 1 < args.Length)
                {
                    return args[++i];
                }

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
                case "--https": o = o with { Https = true }; break;
                case "--port": o = o with { Port = Int(name, Value(), 0, 65535, ref error) }; break;
                case "--records": o = o with { Records = Int(name, Value(), 0, 10_000_000, ref error) }; break;
                case "--seed": o = o with { Seed = Long(name, Value(), long.MinValue, long.MaxValue, ref error) }; break;
                case "--span-days": o = o with { SpanDays = Int(name, Value(), 1, 36_500, ref error) }; break;
                case "--anchor-ms": o = o with { AnchorEpochMs = Long(name, Value(), 0, 253_402_300_799_000, ref error) }; break;
                case "--max-limit": o = o with { MaxLimit = Int(name, Value(), 1, int.MaxValue, ref error) }; break;
                case "--latency-ms": o = o with { LatencyMs = Int(name, Value(), 0, 600_000, ref error) }; break;
                case "--clock-offset-ms": o = o with { ClockOffsetMs = Long(name, Value(), -31_536_000_000, 31_536_000_000, ref error) }; break;
                case "--retention-number": o = o with { RetentionNumber = Int(name, Value(), 1, int.MaxValue, ref error) }; break;
                case "--retention-units": o = o with { RetentionUnits = Text(name, Value(), ref error) }; break;
                case "--admin-email": o = o with { AdminEmail = Text(name, Value(), ref error) }; break;
                case "--admin-api-token": o = o with { AdminApiToken = Text(name, Value(), ref error) }; break;
                case "--admin-pat": o = o with { AdminPat = Text(name, Value(), ref error) }; break;
                case "--user-email": o = o with { UserEmail = Text(name, Value(), ref error) }; break;
                case "--user-api-token": o = o with { UserApiToken = Text(name, Value(), ref error) }; break;
                case "--user-pat": o = o with { UserPat = Text(name, Value(), ref error) }; break;
                case "--client-id": o = o with { ClientId = Text(name, Value(), ref error) }; break;
                case "--client-secret": o = o with { ClientSecret = Text(name, Value(), ref error) }; break;
                case "--token-lifetime-sec": o = o with { TokenLifetimeSec = Int(name, Value(), 1, 86_400, ref error) }; break;
                case "--cloud-id": o = o with { CloudId = Text(name, Value(), ref error) }; break;
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
                case "--deployment":
                    o = o with
                    {
                        Mode = Choice(name, Value(), ref error, "cloud", "datacenter") == "datacenter" ? EmulatorMode.DataCenter : EmulatorMode.Cloud,
                    };
                    break;
                default:
                    if (ParseDataCenter(name, arg, Value, ref o, ref error))
                    {
                        dataCenterOption ??= name;
                        break;
                    }

                    error = $"Unknown argument '{arg}'. Use --help for the list of options.";
                    break;
            }

            if (error is not null)
            {
                return null;
            }
        }

        if (dataCenterOption is not null && o.Mode != EmulatorMode.DataCenter)
        {
            error = $"{dataCenterOption} needs --deployment datacenter.";
            return null;
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

    /// <summary>The Data Center options: true when <paramref name="name"/> is one (error set when its value is wrong).</summary>
    private static bool ParseDataCenter(string name, string arg, Func<string?> value, ref EmulatorOptions o, ref string? error)
    {
        DataCenterOptions d = o.DataCenter;
        switch (name)
        {
            case "--context-path": d = d with { ContextPath = ContextPath(name, value(), ref error) }; break;
            case "--dc-version": d = d with { Version = VersionOf(name, value(), ref error) }; break;
            case "--dc-legacy-post": d = d with { LegacyPost = Choice(name, value(), ref error, "on", "off") == "on" }; break;
            case "--canonical-base-url": d = d with { CanonicalBaseUrl = AbsoluteUrl(name, value(), ref error) }; break;
            case "--language": d = d with { Language = Choice(name, value(), ref error, DataCenterLocale.Languages) }; break;
            case "--dc-max-limit": d = d with { MaxLimit = Int(name, value(), 1, DataCenterQuery.MaxLimit, ref error) }; break;
            case "--dc-csv-cap": d = d with { CsvCap = Int(name, value(), 1, DataCenterQuery.MaxLimit, ref error) }; break;
            case "--dc-cursor-object": d = d with { CursorObject = true }; break;
            case "--dc-anonymous":
                d = d with { Anonymous = Choice(name, value(), ref error, "redirect", "html") == "html" ? AnonymousAnswer.Html : AnonymousAnswer.Redirect };
                break;
            case "--dc-search-timeout": d = d with { SearchTimeout = true }; break;
            case "--dc-server-licence": d = d with { ServerLicence = true }; break;
            case "--dc-retention":
                string? text = value();
                DataCenterPeriod? period = DataCenterPeriod.Parse(text);
                if (period is null || period.Value.IsZero)
                {
                    error = $"{name} needs an ISO 8601 period of years, months and days longer than 0, such as P3M or P1Y10D; got '{text}'.";
                }
                else
                {
                    d = d with { Retention = period.Value };
                }

                break;
            case "--admin-username": d = d with { AdminUsername = Text(name, value(), ref error) }; break;
            case "--admin-password": d = d with { AdminPassword = Text(name, value(), ref error) }; break;
            case "--user-username": d = d with { UserUsername = Text(name, value(), ref error) }; break;
            case "--user-password": d = d with { UserPassword = Text(name, value(), ref error) }; break;
            default:
                error = $"Unknown argument '{arg}'. Use --help for the list of options.";
                return false;
        }

        o = o with { DataCenter = d };
        return true;
    }

    private static string Choice(string name, string? value, ref string? error, params string[] allowed)
    {
        string v = (value ?? "").Trim().ToLowerInvariant();
        if (Array.IndexOf(allowed, v) >= 0)
        {
            return v;
        }

        error = $"{name} needs one of {string.Join(", ", allowed)}; got '{value}'.";
        return allowed[0];
    }

    // "/confluence" as given; "/" or "" is the root (""); no trailing '/', no query.
    private static string ContextPath(string name, string? value, ref string? error)
    {
        string v = (value ?? "").Trim();
        if (v is "" or "/")
        {
            return "";
        }

        if (!v.StartsWith('/') || v.EndsWith('/') || v.IndexOfAny(['?', '#', ' ', '%']) >= 0)
        {
            error = $"{name} needs a path such as /confluence (starting with '/', no trailing '/'), or / for the root; got '{value}'.";
        }

        return v;
    }

    private static Version VersionOf(string name, string? value, ref string? error)
    {
        // "9.2", "8.5.4", "9" and "9.x" (x: .0) all work.
        string v = (value ?? "").Trim().Replace(".x", ".0", StringComparison.OrdinalIgnoreCase);
        if (!v.Contains('.', StringComparison.Ordinal))
        {
            v += ".0";
        }

        if (Version.TryParse(v, out Version? version) && version.Major is >= 5 and <= 99)
        {
            return version;
        }

        error = $"{name} needs a Confluence version such as 9.2, 8.5 or 7.4; got '{value}'.";
        return new Version(9, 2);
    }

    private static string AbsoluteUrl(string name, string? value, ref string? error)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.Query))
        {
            return value!.TrimEnd('/');
        }

        error = $"{name} needs an absolute http(s) URL without a query, such as https://wiki.example.com/confluence; got '{value}'.";
        return "";
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
