namespace ConfluenceAudit.Models;

/// <summary>Which kind of Confluence a connection talks to.</summary>
public enum ConfluenceDeployment
{
    Cloud,
    DataCenter,
}
