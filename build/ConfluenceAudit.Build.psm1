<#
The build's logic, shared by build.ps1 (a thin dispatcher over these functions) and the tests (tests/Pester/Build.Tests.ps1,
tests/Pester/Package.Tests.ps1): Import-Module ./build/ConfluenceAudit.Build.psm1.

  Build.Common.ps1         Invoke-Native, the module version, the repository's paths
  Build.Module.ps1         Invoke-ModuleBuild, Get-ShippedModuleFile (the list itself is ShippedFiles.psd1), Clear-BuildOutput
  Build.Compatibility.ps1  Test-WindowsPowerShellCompatibility, Get-AssemblyMetadata
  Build.Package.ps1        New-ModulePackage, Invoke-ModulePackage
  Build.Test.ps1           Invoke-ModuleTest, Get-PesterModulePath
  Build.Run.ps1            Invoke-ModuleDemo, Invoke-ModuleEmulator, Invoke-ModuleBenchmark
  Help.*.ps1               Export-ModuleHelp: docs/help/*.md into MAML and about_*.help.txt (Help.Export.ps1 describes the format)
#>

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
$script:OutDir = Join-Path $script:RepoRoot 'out'
$script:ModuleOut = Join-Path $script:OutDir 'ConfluenceAudit'
$script:ModuleProject = Join-Path $script:RepoRoot 'src/ConfluenceAudit/ConfluenceAudit.csproj'
$script:TestResults = Join-Path $script:OutDir 'TestResults'
$script:PesterVersion = '5.7.1'

foreach ($part in @(
        'Build.Common.ps1'
        'Build.Module.ps1'
        'Build.Compatibility.ps1'
        'Build.Package.ps1'
        'Build.Test.ps1'
        'Build.Run.ps1'
        'Help.Metadata.ps1'
        'Help.Markdown.ps1'
        'Help.Examples.ps1'
        'Help.Cmdlet.ps1'
        'Help.Maml.ps1'
        'Help.About.ps1'
        'Help.Export.ps1'
    )) {
    . (Join-Path $PSScriptRoot $part)
}

Export-ModuleMember -Function @(
    'Invoke-Native'
    'Get-ModuleVersion'
    'Get-BuildPath'
    'Invoke-ModuleBuild'
    'Get-ShippedModuleFile'
    'Clear-BuildOutput'
    'Test-WindowsPowerShellCompatibility'
    'Get-AssemblyMetadata'
    'New-ModulePackage'
    'Invoke-ModulePackage'
    'Get-PesterModulePath'
    'Invoke-ModuleTest'
    'Invoke-ModuleDemo'
    'Invoke-ModuleEmulator'
    'Invoke-ModuleBenchmark'
    'Get-HelpModuleMetadata'
    'ConvertTo-HelpCommandTable'
    'Read-HelpMarkdown'
    'Test-HelpExampleCode'
    'ConvertTo-CmdletHelp'
    'Export-MamlHelp'
    'ConvertTo-AboutText'
    'Format-HelpText'
    'Export-ModuleHelp'
)
