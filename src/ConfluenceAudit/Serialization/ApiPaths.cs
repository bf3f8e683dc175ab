namespace ConfluenceAudit.Serialization;

/// <summary>Where each operation lives, relative to a connection's base URL (which includes /wiki or a context path).</summary>
internal static class ApiPaths
{
    /// <summary>Cloud's audit resource, and Data Center's before 7.5: GET (list), POST (create).</summary>
    public const string Records = "rest/api/audit";

    /// <summary>GET /audit/since: a period back from now.</summary>
    public const string RecordsSince = "rest/api/audit/since";

    public const string Export = "rest/api/audit/export";

    public const string Retention = "rest/api/audit/retention";

    /// <summary>Data Center's auditing framework (7.5 and later): events, newest first, by keyset cursor.</summary>
    public const string Events = "rest/auditing/1.0/events";

    public const string FrameworkRetention = "rest/auditing/1.0/configuration/retention";
}
