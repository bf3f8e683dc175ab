using System;

namespace ConfluenceAudit.Connections;

/// <summary>Credentials would cross the network in clear text.</summary>
internal sealed class UnencryptedAuthenticationException : Exception
{
    public UnencryptedAuthenticationException(Uri baseUri)
        : base($"'{baseUri.AbsoluteUri}' uses plain http, which would send the credentials unencrypted. Use https; " +
               "plain http is allowed without an explicit opt-in only for loopback addresses.")
    {
    }
}
