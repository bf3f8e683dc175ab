using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ConfluenceAudit.Emulator.OAuth;

/// <summary>
/// The service account's OAuth 2.0 credential and the access tokens bought with it: issued for a configurable
/// lifetime, refused once lapsed. Revoking the secret refuses new tokens; the ones issued live out their lifetime, as
/// Atlassian's do. Counts what was issued and refused, for tests that check how often a client renews.
/// </summary>
internal sealed class TokenIssuer(string clientId, string clientSecret, int lifetimeSec, string cloudId)
{
    private readonly ConcurrentDictionary<string, long> _tokens = new(StringComparer.Ordinal);
    private readonly int _startLifetimeSec = lifetimeSec;
    private int _lifetimeSec = lifetimeSec;
    private int _revoked;
    private long _issued;
    private long _refused;
    private long _rejected;

    public string ClientId { get; } = clientId;

    public string CloudId { get; } = cloudId;

    /// <summary>Seconds a new token is valid (expires_in).</summary>
    public int LifetimeSec
    {
        get => Volatile.Read(ref _lifetimeSec);
        set => Volatile.Write(ref _lifetimeSec, value);
    }

    public bool Revoked
    {
        get => Volatile.Read(ref _revoked) != 0;
        set => Volatile.Write(ref _revoked, value ? 1 : 0);
    }

    public long Issued => Interlocked.Read(ref _issued);

    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>API requests answered 401 because their token was unknown or had lapsed.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>True for the right client id and (unrevoked) secret; compared in constant time.</summary>
    public bool Accepts(string? id, string? secret)
    {
        bool ok = id is not null && secret is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(id), Encoding.UTF8.GetBytes(ClientId))
            & CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(clientSecret));
        if (!ok || Revoked)
        {
            Interlocked.Increment(ref _refused);
            return false;
        }

        return true;
    }

    /// <summary>A new token and its lifetime in seconds.</summary>
    public (string Token, int LifetimeSec) Issue()
    {
        int lifetime = LifetimeSec;
        string token = "emu-oauth-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        _tokens[token] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (lifetime * 1000L);
        Interlocked.Increment(ref _issued);
        return (token, lifetime);
    }

    /// <summary>True when the Authorization header holds a token this issuer gave and it has not lapsed.</summary>
    public bool IsValid(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return _tokens.TryGetValue(authorization[7..].Trim(), out long expires) && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < expires;
    }

    /// <summary>Every token issued so far lapses now.</summary>
    public void ExpireAll()
    {
        foreach (string token in _tokens.Keys)
        {
            _tokens[token] = 0;
        }
    }

    public void CountRejected() => Interlocked.Increment(ref _rejected);

    /// <summary>The state at start: the configured lifetime, the secret valid, no tokens, zeroed counters.</summary>
    public void Reset()
    {
        _tokens.Clear();
        LifetimeSec = _startLifetimeSec;
        Revoked = false;
        Interlocked.Exchange(ref _issued, 0);
        Interlocked.Exchange(ref _refused, 0);
        Interlocked.Exchange(ref _rejected, 0);
    }
}
