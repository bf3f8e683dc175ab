using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using ConfluenceAudit.Models;

namespace ConfluenceAudit.PowerShell;

/// <summary>
/// The default connection of each runspace (so parallel runspaces and in-process hosts do not share one by
/// accident), and every connection made, so that removing the module disposes their HttpClients.
/// </summary>
internal static class ConnectionStore
{
    private static readonly ConditionalWeakTable<Runspace, Holder> Defaults = new ConditionalWeakTable<Runspace, Holder>();
    private static readonly Holder NoRunspaceDefault = new Holder();
    private static readonly HashSet<ConfluenceAuditConnection> Live = new HashSet<ConfluenceAuditConnection>();
    private static readonly object Gate = new object();

    /// <summary>The runspace's default connection; a closed one (the module was removed and imported again) counts as none.</summary>
    public static ConfluenceAuditConnection? Default
    {
        get => CurrentHolder().Connection is { IsDisposed: false } open ? open : null;
        set => CurrentHolder().Connection = value;
    }

    public static void Track(ConfluenceAuditConnection connection)
    {
        lock (Gate)
        {
            Live.Add(connection);
        }
    }

    public static void Release(ConfluenceAuditConnection connection)
    {
        lock (Gate)
        {
            Live.Remove(connection);
        }

        if (ReferenceEquals(Default, connection))
        {
            Default = null;
        }

        connection.Dispose();
    }

    public static void DisposeAll()
    {
        List<ConfluenceAuditConnection> all;
        lock (Gate)
        {
            all = new List<ConfluenceAuditConnection>(Live);
            Live.Clear();
        }

        foreach (var connection in all)
        {
            connection.Dispose();
        }
    }

    private static Holder CurrentHolder()
    {
        var runspace = Runspace.DefaultRunspace;
        return runspace is null ? NoRunspaceDefault : Defaults.GetValue(runspace, _ => new Holder());
    }

    private sealed class Holder
    {
        public ConfluenceAuditConnection? Connection { get; set; }
    }
}
