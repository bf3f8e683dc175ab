using ConfluenceAudit.Connections;

namespace ConfluenceAudit.Tests;

/// <summary>
/// Tests that change process-wide state (environment variables, the local time zone). xunit runs
/// collections that disable parallelization on their own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideGroup
{
    public const string Name = "Process-wide state";
}

/// <summary>Sets (or clears, with null) CONFLUENCE_* variables and restores every one of them afterwards.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    private static readonly string[] Names = { EnvironmentConnection.BaseUrl, EnvironmentConnection.Email, EnvironmentConnection.ApiToken, EnvironmentConnection.Token };
    private readonly Dictionary<string, string?> saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    public EnvironmentScope(string? baseUrl = null, string? email = null, string? apiToken = null, string? token = null)
    {
        Environment.SetEnvironmentVariable(EnvironmentConnection.BaseUrl, baseUrl);
        Environment.SetEnvironmentVariable(EnvironmentConnection.Email, email);
        Environment.SetEnvironmentVariable(EnvironmentConnection.ApiToken, apiToken);
        Environment.SetEnvironmentVariable(EnvironmentConnection.Token, token);
    }

    public void Dispose()
    {
        foreach (var pair in saved)
        {
            Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        }
    }
}

/// <summary>Makes <paramref name="ianaId"/> the local time zone for the duration (via TZ), then restores it.</summary>
internal sealed class TimeZoneScope : IDisposable
{
    private readonly string? saved = Environment.GetEnvironmentVariable("TZ");

    public TimeZoneScope(string ianaId)
    {
        Environment.SetEnvironmentVariable("TZ", ianaId);
        TimeZoneInfo.ClearCachedData();
        if (!string.Equals(TimeZoneInfo.Local.Id, ianaId, StringComparison.Ordinal))
        {
            Dispose();
            throw new InvalidOperationException($"Could not switch the local time zone to {ianaId} (it is {TimeZoneInfo.Local.Id}).");
        }
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("TZ", saved);
        TimeZoneInfo.ClearCachedData();
    }
}
