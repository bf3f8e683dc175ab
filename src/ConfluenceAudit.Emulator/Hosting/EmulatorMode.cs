namespace ConfluenceAudit.Emulator.Hosting;

/// <summary>Which product's audit API is emulated: Confluence Cloud (/wiki/rest/api/audit), or Confluence Data
/// Center / Server (a context path, the auditing framework's /rest/auditing/1.0/... and the legacy
/// /rest/api/audit without /wiki), both over the same store, seeder and request log.</summary>
internal enum EmulatorMode
{
    Cloud,
    DataCenter,
}
