using System.Text;

namespace ConfluenceAudit.Emulator.DataCenter;

/// <summary>Category and action names as a Data Center server shows them in its language, with the i18n keys that
/// stay the same in every language. Names without a translation (records created through the legacy POST with a
/// summary of their own) are shown as given, with a key derived from the English text.</summary>
internal sealed class DataCenterLocale
{
    public const string SearchPerformed = "Audit Log search performed";
    public const string AuditingCategory = "Auditing";

    public static readonly string[] Languages = ["en", "de"];

    private static readonly Dictionary<string, string> GermanCategories = new(StringComparer.Ordinal)
    {
        ["Permissions"] = "Berechtigungen",
        ["Users and groups"] = "Benutzer und Gruppen",
        ["Space"] = "Bereich",
        ["Content"] = "Inhalt",
        ["Security"] = "Sicherheit",
        ["Global configuration"] = "Globale Konfiguration",
        ["Apps"] = "Apps",
        ["Auditing"] = "Audit-Protokoll",
    };

    private static readonly Dictionary<string, string> GermanActions = new(StringComparer.Ordinal)
    {
        ["Space permission added"] = "Bereichsberechtigung hinzugefügt",
        ["Space permission removed"] = "Bereichsberechtigung entfernt",
        ["Global permission added"] = "Globale Berechtigung hinzugefügt",
        ["Page restrictions changed"] = "Seitenbeschränkungen geändert",
        ["User added to group"] = "Benutzer zur Gruppe hinzugefügt",
        ["User removed from group"] = "Benutzer aus Gruppe entfernt",
        ["User created"] = "Benutzer erstellt",
        ["User deactivated"] = "Benutzer deaktiviert",
        ["Group created"] = "Gruppe erstellt",
        ["Space created"] = "Bereich erstellt",
        ["Space deleted"] = "Bereich gelöscht",
        ["Space exported"] = "Bereich exportiert",
        ["Page deleted"] = "Seite gelöscht",
        ["Page restored from trash"] = "Seite aus dem Papierkorb wiederhergestellt",
        ["Blog post deleted"] = "Blogbeitrag gelöscht",
        ["Login failed"] = "Anmeldung fehlgeschlagen",
        ["API token created"] = "Persönliches Zugriffstoken erstellt",
        ["Site title changed"] = "Titel der Website geändert",
        ["Global setting changed"] = "Globale Einstellung geändert",
        ["App installed"] = "App installiert",
        ["App uninstalled"] = "App deinstalliert",
        ["App updated"] = "App aktualisiert",
        ["Audit log retention changed"] = "Aufbewahrungsdauer des Audit-Protokolls geändert",
        ["Audit log exported"] = "Audit-Protokoll exportiert",
        [SearchPerformed] = "Audit-Protokoll durchsucht",
    };

    private readonly bool _german;

    public DataCenterLocale(string language) => _german = language == "de";

    public string Category(string english) =>
        _german && GermanCategories.TryGetValue(english, out string? name) ? name : english;

    public string Action(string english) =>
        _german && GermanActions.TryGetValue(english, out string? name) ? name : english;

    public static string CategoryKey(string english) => "audit.logging.category." + Slug(english);

    public static string ActionKey(string english) => "audit.logging.summary." + Slug(english);

    public static string ChangedValueKey(string english) => "audit.logging.changedvalue." + Slug(english);

    /// <summary>"Users and groups" → "users.and.groups".</summary>
    public static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (char c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '.')
            {
                slug.Append('.');
            }
        }

        return slug.ToString().TrimEnd('.');
    }
}
