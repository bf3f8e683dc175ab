namespace ConfluenceAudit.Emulator.Hosting;

/// <summary>The text of --help: every option, the control endpoints and the line printed when listening.</summary>
internal static partial class CommandLine
{
    public const string Usage = """
        ConfluenceAudit.Emulator - a local emulator of Confluence Cloud's (or Data Center's) audit-log REST API.

        Usage: ConfluenceAudit.Emulator [options]

          --deployment D           cloud (default: /wiki/rest/api/audit) or datacenter (see below)
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
          --client-id I            the service account's OAuth 2.0 client id (default emulator-client-id)
          --client-secret S        its client secret (default emulator-client-secret)
          --token-lifetime-sec N   seconds an access token is valid, its expires_in (default 3600)
          --cloud-id C             the site's cloud id, as /_edge/tenant_info answers it and the gateway path
                                   /ex/confluence/C/wiki/rest/api/audit... takes it (default 0b5e8c1a-...-1f8d2e4b6a90)
          --retention-number N     initial retention number (default 3)
          --retention-units U      initial retention units (default MONTHS)
          --clock-offset-ms N      the server's clock runs N ms ahead of this machine's (negative: behind); it stamps
                                   the records it makes itself: reads of the events (Data Center), arrivals, records
                                   created or inserted without a date (default 0)
          --quiet                  no per-request line on stderr
          --exit-on-stdin-close    stop when standard input reaches end of file
          --https                  serve HTTPS (control endpoints too) with a self-signed certificate for localhost and
                                   127.0.0.1, made at start and kept in memory only (no file, no certificate store);
                                   clients must skip the certificate check. The line printed says https://
          --help                   show this text

        Data Center mode (--deployment datacenter; the options below need it):
          --context-path P         the context path the server runs under (default /confluence; / for the root;
                                   /wiki where an administrator chose that). Everything below is under it.
          --dc-version V           Confluence version, e.g. 9.2 (default), 8.5, 7.4. From 7.5 the auditing framework
                                   answers GET {ctx}/rest/auditing/1.0/events and GET/PUT .../configuration/retention;
                                   before 7.5 those answer 404 and only the legacy resource exists.
          --dc-legacy-post on|off  whether the legacy POST {ctx}/rest/api/audit creates records (default: on before
                                   9.0, off from 9.0, where it answers 405 as the 9.x reference lists only GET). The
                                   legacy GET, /since, /export and GET/PUT /retention are served in every version.
          --canonical-base-url U   the server's configured base URL (default https://wiki.example.com/confluence): the
                                   events' "system", every uri and nextPageLink are built from it, not from the URL
                                   the client used
          --language L             en (default) or de: the language of the category and action names (the i18n keys
                                   stay the same); the 'categories' and 'actions' filters match these names exactly
          --dc-max-limit N         server cap on the events' limit, 1 to 100000 (default 100000)
          --dc-csv-cap N           most rows of one CSV response, whatever limit asked (default 1000)
          --dc-cursor-object       send nextPageCursor as {"cursor":"<ms>,<id>"} instead of a string
          --dc-anonymous A         how an anonymous request (no credentials, or a Bearer token nobody issued) is
                                   answered: redirect (default; 302 to {ctx}/login.action?os_destination=...) or html
                                   (200 with an HTML login page)
          --dc-search-timeout      every events request with 'search' answers 500 with a plain-text body (a timeout)
          --dc-server-licence      a Server licence: the 'categories' and 'actions' filters answer 400
          --dc-retention P         the framework's retention at start, an ISO 8601 period of years, months, days
                                   (default P3M; e.g. P1Y6M, P2Y, P1Y10D)
          --admin-username N       administrator's user name for Basic (default admin)
          --admin-password P       administrator's password (default emulator-admin-password)
          --user-username N        non-administrator's user name (default user)
          --user-password P        non-administrator's password (default emulator-user-password)

          Personal access tokens are --admin-pat / --user-pat, sent as Bearer. The non-administrator administers
          the space DOCS (id 98311): reads with affectedObject=space,98311 are allowed, any other read answers 403.
          GET {ctx}/rest/auditing/1.0/events takes from, to (ISO 8601 with an offset; a '+' that arrived as a space
          is refused with 400), offset, pageCursor, limit (1..100000, default 200), userIds, categories, actions,
          affectedObject (type,id;type,id: events with any of them), search, scanLimit (accepted), outputFormat
          json|csv. Newest first by (timestamp, id). JSON pages: {"entities":[..],"pagingInfo":{"lastPage":false,
          "size":N,"nextPageOffset":offset+N,"nextPageCursor":"<ms>,<id>","nextPageLink":"<canonical>/rest/auditing/
          1.0/events?<filters>&pageCursor=<ms>,<id>"}}; the last page has only lastPage:true and size. CSV pages by
          offset/limit (pageCursor is ignored), always with its header row. Every read of the events (JSON or CSV)
          adds an "Audit Log search performed" event dated the server's now. POST and PUT need
          "X-Atlassian-Token: no-check" (else 403 "XSRF check failed"). Errors of the framework:
          [{"errors":[{"key","message"}],"message","status","timestamp"}].

        Fault injection (API requests under /wiki/rest/ only - {ctx}/rest/ on Data Center; control endpoints are never
        affected):
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
                                                (Data Center events: half the entities, lastPage false)
                                     body       status 200 with the body (and content type) set through
                                                POST /__emulator/faults: an answer outside the contract
                                     none       no fault (a placeholder in --fault-queue)
          --fault-queue K,K,...    faults for the next matching requests, exactly these, in order; then the rate
          --retry-after-sec N      Retry-After of 429, 429-date and 503 (default 1)
          --slow-ms N              delay of the 'slow' fault (default 1000)
          --fault-seed N           seed of the random draws (default 1): same seed + same requests = same faults
          --fault-path P           faults only for this path (a trailing * makes it a prefix), e.g.
                                   /wiki/rest/api/audit
          --fault-method M         faults only for this method, e.g. GET
          --insert-per-request N   insert N new records (dated now) right before answering each GET of
                                   /audit or /audit/since (and of Data Center's events), as if the site were busy
                                   (default 0)
          --ignore-start           serve every page as if start=0 (a broken server, for stall detection); Data
                                   Center's events as if neither pageCursor nor offset were given

        Control endpoints (loopback only, never logged, never faulted):
          GET    /__emulator/requests        the request log: method, path, query, status (0 when a fault
                                             aborted it), aborted, fault, authScheme, body, userAgent,
                                             atlassianToken (the X-Atlassian-Token header), receivedMs (epoch ms)
          DELETE /__emulator/requests        clear it
          POST   /__emulator/records?count=N[&creationDate=EPOCHMS]   insert N generated records (events)
          GET    /__emulator/records/count
          GET    /__emulator/config          {maxLimit, sizeIsTotal, latencyMs, dcMaxLimit, dcCsvCap, dcCursorObject,
                                             dcAnonymous, dcSearchTimeout, dcLegacyPost, clockOffsetMs}; POST any
                                             subset to change
          GET    /__emulator/faults          the fault settings and what is left of the queue
          POST   /__emulator/faults          replace them: {"failureRate":0.2, "kinds":["429","drop"],
                                             "retryAfterSec":0, "slowMs":500, "seed":7, "queue":["429","none",
                                             "drop"], "path":"/wiki/rest/api/audit", "method":"GET",
                                             "insertPerRequest":3, "ignoreStart":false, "body":"{...}",
                                             "bodyContentType":"application/json"} (members left out take
                                             their defaults)
          DELETE /__emulator/faults          no faults
          GET    /__emulator/stats           {apiRequests, faultsInjected, faultsByKind, recordsInserted,
                                             queueRemaining}
          DELETE /__emulator/stats           zero the counters
          GET    /__emulator/oauth           {clientId, cloudId, tokenLifetimeSec, revoked, issued, refused,
                                             rejected}: the service account's tokens (POST /oauth/token; Data
                                             Center: {ctx}/rest/oauth2/latest/token), and the gateway's 401s
          POST   /__emulator/oauth           {"tokenLifetimeSec":2, "revoked":true, "expireTokens":true} (any
                                             subset): revoking refuses the secret; expireTokens ends every token
          POST   /__emulator/reset           seeded records, start-up config, empty log, no faults, zero counters

        Prints one line when listening:
          ConfluenceAudit emulator listening on http://127.0.0.1:PORT (base URL http://127.0.0.1:PORT/wiki)
        (Data Center: base URL http://127.0.0.1:PORT/confluence, or the context path given; https:// with --https)
        """;
}
