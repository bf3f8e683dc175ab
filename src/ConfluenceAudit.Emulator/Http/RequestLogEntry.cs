namespace ConfluenceAudit.Emulator.Http;

/// <summary>One API request as tests see it. Holds the Authorization scheme only, never the credential.</summary>
internal sealed class RequestLogEntry
{
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";

    /// <summary>The raw query string without the leading "?", or "" when there is none.</summary>
    public string Query { get; init; } = "";

    /// <summary>The response status; 0 while the request is still being answered, and 0 when a 'drop' or 'reset'
    /// fault aborted the connection.</summary>
    public int Status { get; set; }

    /// <summary>True when the connection was aborted: by a 'drop' or 'reset' fault, or by the client going away.</summary>
    public bool Aborted { get; set; }

    /// <summary>The injected fault (429, 429-date, 429-huge, 503, 503-plain, drop, reset, slow, short), or null.</summary>
    public string? Fault { get; set; }

    public string? AuthScheme { get; init; }

    /// <summary>The request body as text for POST and PUT, else null.</summary>
    public string? Body { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>The X-Atlassian-Token header (Data Center's XSRF check wants "no-check" on POST and PUT), or null.</summary>
    public string? AtlassianToken { get; init; }

    /// <summary>When the request arrived, in epoch milliseconds (to measure a client's waits between retries).</summary>
    public long ReceivedMs { get; init; }
}
