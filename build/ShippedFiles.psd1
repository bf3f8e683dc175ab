# The files of the built module taken from the build output (src/ConfluenceAudit/bin/<Configuration>/netstandard2.0).
# Nothing else is copied: what is tested is exactly what ships. Read by Get-ShippedModuleFile (build/Build.Module.ps1),
# the one place the build, the package and the tests take the list from. The build adds the manifest (stamped with the
# version), the LICENSE and the help (en-US) next to these.
# System.Text.Json and its dependencies serve Windows PowerShell 5.1; PowerShell 7 binds its own newer copies.
@{
    Files = @(
        'ConfluenceAudit.dll'
        'ConfluenceAudit.Format.ps1xml'
        'System.Text.Json.dll'
        'System.Text.Encodings.Web.dll'
        'Microsoft.Bcl.AsyncInterfaces.dll'
        'System.Buffers.dll'
        'System.Memory.dll'
        'System.Numerics.Vectors.dll'
        'System.Runtime.CompilerServices.Unsafe.dll'
        'System.Threading.Tasks.Extensions.dll'
    )
}
