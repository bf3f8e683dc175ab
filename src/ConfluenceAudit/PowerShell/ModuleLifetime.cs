using System.Management.Automation;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>Remove-Module disposes every connection's HttpClient and removes the Windows PowerShell assembly resolver.</summary>
public sealed class ModuleLifetime : IModuleAssemblyCleanup
{
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        ConnectionStore.DisposeAll();
        AssemblyResolver.Unregister();
    }
}
