<#
.SYNOPSIS
Builds, tests and demonstrates the ConfluenceAudit module.

.DESCRIPTION
Tasks (several may be given, run in order):
  Build     Compiles the solution and assembles the module folder out/ConfluenceAudit from an allow-list.
  Test      Build, then the xunit tests, then the Pester tests against the built module in a child pwsh.
            Ends with one line "N passed, N failed" covering both, and fails when anything failed.
  Demo      Build, start the emulator with sample data, and use the module as an administrator would.
  Emulator  Build, then run the emulator in the foreground (Ctrl+C stops it) to rehearse scripts offline.
  Package   Build, then pack out/ConfluenceAudit into out/ConfluenceAudit.<version>.nupkg with PSResourceGet.
  Bench     Build, then measure listing speed and memory against the alternatives (docs/benchmarks.md);
            -Million for 1,000,000 records. Not part of Test.
  Clean     Removes build output.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Demo

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Emulator', 'Package', 'Bench', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Extra arguments for the emulator (Emulator task), such as '--records', '100000'.
    [string[]] $EmulatorArgument = @(),

    # Bench task: 1,000,000 records instead of 100,000.
    [switch] $Million
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# The tasks themselves are functions of the build module (build/ConfluenceAudit.Build.psm1), which the tests import too.
Import-Module (Join-Path $PSScriptRoot 'build/ConfluenceAudit.Build.psm1') -Force

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Cyan
    switch ($name) {
        'Build' { Invoke-ModuleBuild -Configuration $Configuration }
        'Test' { Invoke-ModuleBuild -Configuration $Configuration; Invoke-ModuleTest -Configuration $Configuration }
        'Demo' { Invoke-ModuleBuild -Configuration $Configuration; Invoke-ModuleDemo -Configuration $Configuration }
        'Emulator' { Invoke-ModuleBuild -Configuration $Configuration; Invoke-ModuleEmulator -Configuration $Configuration -ArgumentList $EmulatorArgument }
        'Package' { Invoke-ModuleBuild -Configuration $Configuration; Invoke-ModulePackage }
        'Bench' { Invoke-ModuleBuild -Configuration $Configuration; Invoke-ModuleBenchmark -Configuration $Configuration -Million:$Million }
        'Clean' { Clear-BuildOutput }
    }
}
