using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using ConfluenceAudit.Emulator.AuditResource;
using ConfluenceAudit.Emulator.Control;
using ConfluenceAudit.Emulator.DataCenter;
using ConfluenceAudit.Emulator.Hosting;
using ConfluenceAudit.Emulator.Http;
using ConfluenceAudit.Emulator.OAuth;
using ConfluenceAudit.Emulator.Seeding;
using ConfluenceAudit.Emulator.Store;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ConfluenceAudit.Emulator;

/// <summary>Start-up: parse the command line, seed the store, listen on 127.0.0.1, print the one line
/// scripts wait for, run until Ctrl+C / SIGTERM (or end of stdin with --exit-on-stdin-close).</summary>
internal static class Program
{
    private const int ExitBadArguments = 2;
    private const int ExitStartFailed = 1;

    public static async Task<int> Main(string[] args)
    {
        EmulatorOptions? options = CommandLine.Parse(args, out bool help, out string? error);
        if (help)
        {
            Console.Out.WriteLine(CommandLine.Usage);
            return 0;
        }

        if (options is null)
        {
            await Console.Error.WriteLineAsync("ConfluenceAudit.Emulator: " + error).ConfigureAwait(false);
            return ExitBadArguments;
        }

        long anchor = options.AnchorEpochMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var seeding = Stopwatch.StartNew();
        DataCenterProfile? dataCenter = options.Mode == EmulatorMode.DataCenter ? new DataCenterProfile(options.DataCenter) : null;
        StoreSnapshot seeded = RecordSeeder.Seed(options.Records, options.Seed, options.SpanDays, anchor, dataCenter);
        seeding.Stop();
        var state = new EmulatorState(options, new AuditStore(seeded), dataCenter);
        if (!options.Quiet)
        {
            await Console.Error.WriteLineAsync(
                $"Seeded {options.Records} records in {seeding.ElapsedMilliseconds} ms.").ConfigureAwait(false);
        }

        using X509Certificate2? certificate = options.Https ? SelfSignedCertificate.Create() : null;
        await using WebApplication app = Build(options, state, certificate);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"ConfluenceAudit.Emulator: cannot listen on port {options.Port}: {e.Message}").ConfigureAwait(false);
            return ExitStartFailed;
        }

        int port = ListeningPort(app);
        string mode = options.Mode == EmulatorMode.DataCenter
            ? $" (Data Center {options.DataCenter.Version}, {(options.DataCenter.HasFramework ? "auditing framework" : "legacy resource only")})"
            : "";
        string scheme = options.Https ? "https" : "http";
        Console.Out.WriteLine(
            $"ConfluenceAudit emulator listening on {scheme}://127.0.0.1:{port} (base URL {scheme}://127.0.0.1:{port}{options.ContextPath}){mode}");
        Console.Out.Flush();

        if (options.ExitOnStdinClose)
        {
            WatchStdin(app.Lifetime);
        }

        await app.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    private static WebApplication Build(EmulatorOptions options, EmulatorState state, X509Certificate2? certificate)
    {
        // No args to the builder: the command line is ours, not configuration keys.
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
        });

        // stdout carries only the "listening" line; the framework's own messages go to stderr, and
        // only from Warning up.
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // A failed bind is reported once, by Main, without the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(
            o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        WebApplication app = builder.Build();
        app.UseMiddleware<RequestLogMiddleware>(state, options.Quiet);
        switch (options.Mode)
        {
            case EmulatorMode.Cloud:
                AuditResourceEndpoints.MapCloud(app, state);
                AuditResourceEndpoints.MapGateway(app, state, OAuthEndpoints.GatewayPath(state.OAuth.CloudId) + "/wiki",
                    c => OAuthEndpoints.AuthorizeGatewayAsync(c, state));
                OAuthEndpoints.MapCloud(app, state);
                break;
            case EmulatorMode.DataCenter:
                DataCenterEndpoints.Map(app, state);
                OAuthEndpoints.MapDataCenter(app, state);
                break;
            default:
                throw new NotSupportedException($"Mode {options.Mode} is not implemented.");
        }

        ControlEndpoints.Map(app, state);
        app.MapFallback(context => NotFoundAsync(context, state));
        return app;
    }

    /// <summary>405 for a known path with another method; 404 for any other path. Under /wiki/rest/ (Data Center:
    /// {context}/rest/) it is Confluence's JSON error; elsewhere (a base URL without /wiki, most often) an HTML page,
    /// as a site's front door answers, so clients learn to cope with a non-JSON error body. On Data Center before
    /// 7.5 the auditing framework's paths are unknown: 404.</summary>
    private static Task NotFoundAsync(HttpContext context, EmulatorState state)
    {
        string path = (context.Request.Path.Value ?? "").TrimEnd('/');
        bool known = state.DataCenter is null ? AuditResourceEndpoints.IsResourcePath(path) : DataCenterEndpoints.IsResourcePath(state, path);
        if (known)
        {
            // The fallback also catches a known path with the wrong method: Jersey answers 405.
            return ErrorResponses.WriteAsync(context, 405, $"Method {context.Request.Method} is not allowed on {path}.");
        }

        if (path.StartsWith(state.ApiPrefix, StringComparison.Ordinal))
        {
            return ErrorResponses.WriteAsync(context, 404, $"No resource found for {context.Request.Method} {path}.");
        }

        context.Response.StatusCode = 404;
        context.Response.ContentType = "text/html; charset=UTF-8";
        string where = state.Options.ContextPath.Length > 0 ? state.Options.ContextPath : "/";
        return context.Response.WriteAsync(
            "<!DOCTYPE html><html><head><title>Page not found</title></head>"
            + $"<body><h1>Page not found</h1><p>Confluence lives under {where}.</p></body></html>",
            context.RequestAborted);
    }

    private static int ListeningPort(WebApplication app)
    {
        IServerAddressesFeature addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel reported no addresses.");
        return new Uri(addresses.Addresses.First()).Port;
    }

    /// <summary>Stops the emulator when stdin reaches end of file: a parent that dies (or closes the
    /// pipe) takes the emulator with it, even where it cannot send a signal.</summary>
    private static void WatchStdin(IHostApplicationLifetime lifetime)
    {
        var thread = new Thread(() =>
        {
            using Stream stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            try
            {
                while (stdin.Read(buffer, 0, buffer.Length) > 0)
                {
                    // Input is ignored; only its end matters.
                }
            }
            catch (IOException)
            {
                // A broken stdin counts as closed.
            }

            lifetime.StopApplication();
        })
        {
            IsBackground = true,
            Name = "stdin watcher",
        };
        thread.Start();
    }
}
