<#
.SYNOPSIS
Runs the Pester tests against the built ConfluenceAudit module.

.DESCRIPTION
Meant to run in a fresh child pwsh (build.ps1's Test task starts one), so the session is as clean as a
user's. Imports Pester from -PesterPath, makes -ModulePath known to the tests through the environment
variable CONFLUENCEAUDIT_MODULE_PATH, runs every *.Tests.ps1 under tests/Pester, writes an NUnit XML
report and a JSON summary {"Total","Passed","Failed","Skipped"}, and exits 1 when anything failed.

.EXAMPLE
dotnet pwsh -NoProfile -File tests/Pester/Invoke-PesterTests.ps1 -PesterPath ~/.nuget/packages/pester/5.7.1/tools/Pester.psd1 -ModulePath out/ConfluenceAudit
#>
[CmdletBinding()]
param(
    # Pester.psd1 of Pester 5.
    [Parameter(Mandatory)]
    [string] $PesterPath,

    # The built module folder (out/ConfluenceAudit), never the source tree.
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # Where to write {"Total":n,"Passed":n,"Failed":n,"Skipped":n}.
    [string] $SummaryPath,

    # Where to write the NUnit XML report.
    [string] $ResultsPath,

    # Test files or folders to run; by default every *.Tests.ps1 next to this script.
    [string[]] $Path = @($PSScriptRoot),

    # Pester output verbosity.
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Output = 'Normal'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Write-Summary([int] $Passed, [int] $Failed, [int] $Skipped) {
    if (-not $SummaryPath) { return }
    $folder = Split-Path -Parent $SummaryPath
    if ($folder -and -not (Test-Path -LiteralPath $folder)) { New-Item -ItemType Directory -Path $folder -Force | Out-Null }
    [ordered]@{ Total = $Passed + $Failed + $Skipped; Passed = $Passed; Failed = $Failed; Skipped = $Skipped } |
        ConvertTo-Json -Compress | Set-Content -LiteralPath $SummaryPath -Encoding utf8NoBOM
}

try {
    if (-not (Test-Path -LiteralPath $PesterPath)) { throw "Pester was not found at '$PesterPath'." }
    $manifest = Join-Path $ModulePath 'ConfluenceAudit.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) { throw "The built module was not found at '$ModulePath' (no ConfluenceAudit.psd1). Run ./build.ps1 Build first." }

    Import-Module -Name $PesterPath -Force
    $pester = Get-Module Pester
    if ($pester.Version.Major -lt 5) { throw "Pester 5 is required; '$PesterPath' is Pester $($pester.Version)." }

    # The tests read the module's location from here (a child process inherits it too).
    $env:CONFLUENCEAUDIT_MODULE_PATH = (Resolve-Path -LiteralPath $ModulePath).ProviderPath

    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $Path
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = $Output
    $configuration.Should.ErrorAction = 'Stop'
    if ($ResultsPath) {
        $configuration.TestResult.Enabled = $true
        $configuration.TestResult.OutputFormat = 'NUnitXml'
        $configuration.TestResult.OutputPath = $ResultsPath
    }

    $result = Invoke-Pester -Configuration $configuration

    # A failing BeforeAll/AfterAll or a file that does not even parse must count as a failure too.
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    $skipped = $result.SkippedCount + $result.NotRunCount + $result.InconclusiveCount
    Write-Summary -Passed $result.PassedCount -Failed $failed -Skipped $skipped
    Write-Host ("Pester: {0} passed, {1} failed, {2} skipped in {3:0.0} s" -f $result.PassedCount, $failed, $skipped, $result.Duration.TotalSeconds)

    if ($failed -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
    exit 0
}
catch {
    Write-Host "The Pester run itself failed: $_" -ForegroundColor Red
    Write-Host $_.ScriptStackTrace
    Write-Summary -Passed 0 -Failed 1 -Skipped 0
    exit 1
}
