namespace ConfluenceAudit.Emulator.Hosting;

/// <summary>How Data Center answers a request it treats as anonymous (no credentials, or a Bearer token nobody
/// issued: CONFSERVER-98199).</summary>
internal enum AnonymousAnswer
{
    /// <summary>302 to {context}/login.action?os_destination=...</summary>
    Redirect,

    /// <summary>200 with an HTML login page.</summary>
    Html,
}
