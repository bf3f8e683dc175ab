using System.IO;
using System.Management.Automation;
using ConfluenceAudit.PowerShell;

namespace ConfluenceAudit.Commands;

/// <summary>
/// Import-Module: on Windows PowerShell 5.1 (.NET Framework), binds System.Text.Json and its dependencies to the
/// copies shipped in the module's folder (see <see cref="AssemblyResolver"/>). On PowerShell 7 it does nothing.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        if (AssemblyResolver.IsNetFramework)
        {
            AssemblyResolver.Register(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!);
        }
    }
}
