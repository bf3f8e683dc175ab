using System.Collections.Generic;
using System.Text;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.Reporting;

/// <summary>
/// The table of sensitive events the report calls out, and how each is recognised. Cloud and Data Center name the same
/// events differently (Data Center also sends language-independent keys such as audit.logging.summary.user.deactivated,
/// and localised text), so each kind lists the names of both. The first rule that matches names the kind; the order
/// puts narrow rules (a failed login, a group membership) before the broad ones (anything in Security).
/// </summary>
internal static class SensitiveEvents
{
    public static IReadOnlyList<SensitiveRule> Rules { get; } = new[]
    {
        new SensitiveRule("Failed or suspicious login",
            new[] { "login failure", "failed login" },
            new[] { "login failed", "failed login", "login failure", "authentication failed", "failed authentication", "suspicious", "account locked", "brute force" }),
        new SensitiveRule("Audit log configuration",
            new[] { "audit configuration", "auditing configuration" },
            new[] { "retention", "audit configuration", "auditing configuration", "audit log configuration", "audit log settings", "coverage", "audit log cleared", "audit log deleted" }),
        new SensitiveRule("Admin grant",
            new[] { "admin grant" },
            new[] { "administrator added", "administrator granted", "admin granted", "admin added", "granted admin", "made administrator", "sysadmin", "system administrator", "site admin", "org admin" },
            new[] { "confluence administrator", "system administrator", "site administrator", "administrator" }),
        new SensitiveRule("User deactivation",
            new[] { "user deactivation" },
            new[] { "user deactivated", "deactivated user", "user disabled", "user deleted", "account deactivated", "account deleted", "deactivate" }),
        new SensitiveRule("Group change",
            new[] { "group management" },
            new[] { "added to group", "removed from group", "group created", "group deleted", "group removed", "group renamed", "membership" }),
        new SensitiveRule("Permission change",
            new[] { "permission" },
            new[] { "permission", "restriction", "access granted", "access revoked" }),
        new SensitiveRule("App install or removal",
            new[] { "apps", "plugins", "add ons", "marketplace" },
            new[] { "app installed", "app uninstalled", "app removed", "app enabled", "app disabled", "plugin installed", "plugin uninstalled", "plugin enabled", "plugin disabled", "add on installed", "add on uninstalled" }),
        new SensitiveRule("Export",
            new[] { "export" },
            new[] { "exported", "export" }),
        new SensitiveRule("Global settings or security configuration",
            new[] { "global configuration", "global config", "security", "administration", "authentication" },
            new[] { "global setting", "global configuration", "security configuration", "security setting", "authentication", "two step", "single sign on", "saml", "password policy", "api token", "site title" }),
    };

    /// <summary>The rule a record matches and how ("category 'Permissions'"), or null when it is not sensitive.</summary>
    public static (SensitiveRule Rule, string How)? Match(ConfluenceAuditRecord record)
    {
        var category = Normalise(record.Category);
        var categoryKey = Normalise(record.CategoryKey);
        var summary = Normalise(record.Summary);
        var actionKey = Normalise(record.ActionKey);
        foreach (var rule in Rules)
        {
            if (SensitiveRule.FirstTerm(summary, rule.SummaryTerms) is string inSummary)
            {
                return (rule, "summary term \u201C" + inSummary + "\u201D");
            }

            if (SensitiveRule.FirstTerm(actionKey, rule.SummaryTerms) is string inAction)
            {
                return (rule, "action key term \u201C" + inAction + "\u201D");
            }

            if (SensitiveRule.FirstTerm(category, rule.CategoryTerms) is string inCategory)
            {
                return (rule, "category term \u201C" + inCategory + "\u201D");
            }

            if (SensitiveRule.FirstTerm(categoryKey, rule.CategoryTerms) is string inKey)
            {
                return (rule, "category key term \u201C" + inKey + "\u201D");
            }

            foreach (var change in record.ChangedValues)
            {
                var value = Normalise(change.NewValue).Trim();
                foreach (var term in rule.NewValueTerms)
                {
                    if (value == term)
                    {
                        return (rule, "new value \u201C" + term + "\u201D");
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Lower case, with dots, underscores and hyphens as spaces: "audit.logging.category.users_and-groups" reads "audit logging category users and groups".</summary>
    public static string Normalise(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text!.Length);
        foreach (var c in text)
        {
            builder.Append(c is '.' or '_' or '-' ? ' ' : char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
