namespace ConfluenceAudit.Emulator.Http;

/// <summary>What a request's Authorization header amounts to.</summary>
internal enum AuthOutcome
{
    /// <summary>No Authorization header, or a scheme other than Basic and Bearer.</summary>
    Missing,

    /// <summary>Basic with an unknown email, or with something that is not that user's API token
    /// (a password, say): Cloud answers 401 "Basic authentication with passwords is deprecated".</summary>
    BadBasic,

    /// <summary>A Bearer token nobody issued.</summary>
    BadBearer,

    /// <summary>A valid user without the "Confluence Administrator" global permission.</summary>
    NotAdmin,

    Admin,
}
