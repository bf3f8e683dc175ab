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
  Clean     Removes build output.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Demo

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Emulator', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Extra arguments for the emulator (Emulator task), such as '--records', '100000'.
    [string[]] $EmulatorArgument = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleOut = Join-Path $OutDir 'ConfluenceAudit'
$ModuleProject = Join-Path $Root 'src/ConfluenceAudit/ConfluenceAudit.csproj'
$ModuleBin = Join-Path $Root "src/ConfluenceAudit/bin/$Configuration/netstandard2.0"
$TestResults = Join-Path $OutDir 'TestResults'
$PesterVersion = '5.7.1'

# Files of the built module. Nothing else is copied: what is tested is exactly what ships.
# System.Text.Json and its dependencies serve Windows PowerShell 5.1; PowerShell 7 binds its own newer copies.
$ModuleFiles = @(
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

function Invoke-Native {
    # Runs a program and stops the build when it fails: no step's failure is ever ignored.
    param([Parameter(Mandatory)] [string] $FilePath, [Parameter(ValueFromRemainingArguments)] [string[]] $ArgumentList)
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor DarkGray
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Get-ModuleVersion {
    [xml] $props = Get-Content -LiteralPath (Join-Path $Root 'Directory.Build.props') -Raw
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('Version') } | Where-Object { $_ })[0].InnerText
    if (-not $version) { throw 'Directory.Build.props has no <Version>.' }
    $version
}

function Invoke-Build {
    Invoke-Native dotnet build (Join-Path $Root 'ConfluenceAudit.sln') -c $Configuration --nologo --verbosity quiet

    if (Test-Path -LiteralPath $ModuleOut) { Remove-Item -LiteralPath $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    foreach ($file in $ModuleFiles) {
        $source = Join-Path $ModuleBin $file
        if (-not (Test-Path -LiteralPath $source)) { throw "The build did not produce $file ($source)." }
        Copy-Item -LiteralPath $source -Destination $ModuleOut
    }

    $version = Get-ModuleVersion
    $manifest = Get-Content -LiteralPath (Join-Path $Root 'ConfluenceAudit.psd1') -Raw
    $stamped = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    if ($stamped -eq $manifest -and $manifest -notmatch [regex]::Escape("'$version'")) { throw 'Could not stamp ModuleVersion into the manifest.' }
    Set-Content -LiteralPath (Join-Path $ModuleOut 'ConfluenceAudit.psd1') -Value $stamped -Encoding utf8NoBOM

    # Help (en-US/ConfluenceAudit.dll-Help.xml, about_*.help.txt) from docs/help and the built module's metadata; throws when incomplete.
    & (Join-Path $Root 'docs/help/Build-Help.ps1') -ModulePath $ModuleOut -SourcePath (Join-Path $Root 'docs/help')
    if (-not $?) { throw 'Building the help failed.' }

    $info = Test-ModuleManifest -Path (Join-Path $ModuleOut 'ConfluenceAudit.psd1')
    Write-Host "Built ConfluenceAudit $($info.Version) in $ModuleOut" -ForegroundColor Green
}

function Get-PesterModulePath {
    # Pester comes from NuGet (there is no PowerShell Gallery here): restore it, then import it from the package cache.
    Invoke-Native dotnet restore (Join-Path $Root 'tests/tools/TestTools.csproj') --nologo --verbosity quiet
    $cache = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $path = Join-Path $cache.Trim() "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $path)) { throw "Pester $PesterVersion was not restored ($path)." }
    $path
}

function Invoke-Test {
    if (Test-Path -LiteralPath $TestResults) { Remove-Item -LiteralPath $TestResults -Recurse -Force }
    New-Item -ItemType Directory -Path $TestResults | Out-Null

    # xunit: the core against a fake handler and the cmdlets in an in-process runspace.
    $trx = 'xunit.trx'
    & dotnet test (Join-Path $Root 'tests/ConfluenceAudit.Tests/ConfluenceAudit.Tests.csproj') -c $Configuration --no-build --nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal' --results-directory $TestResults
    $xunitExit = $LASTEXITCODE
    $trxPath = Join-Path $TestResults $trx
    if (-not (Test-Path -LiteralPath $trxPath)) { throw "xunit wrote no results (exit code $xunitExit)." }
    $counters = ([xml](Get-Content -LiteralPath $trxPath -Raw)).TestRun.ResultSummary.Counters
    $xunitPassed = [int]$counters.passed
    $xunitFailed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    if ($xunitExit -ne 0 -and $xunitFailed -eq 0) { throw "xunit failed with exit code $xunitExit." }
    if ([int]$counters.total -eq 0) { throw 'xunit ran no tests.' }

    # Pester: the built module in a child pwsh, so the test session is as fresh as a user's.
    $pester = Get-PesterModulePath
    Invoke-Native npm ci --prefix (Join-Path $Root 'tests/contract') --no-audit --no-fund --loglevel=error
    $summary = Join-Path $TestResults 'pester-summary.json'
    & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Pester/Invoke-PesterTests.ps1') `
        -PesterPath $pester -ModulePath $ModuleOut -SummaryPath $summary -ResultsPath (Join-Path $TestResults 'pester.xml')
    $pesterExit = $LASTEXITCODE
    if (-not (Test-Path -LiteralPath $summary)) { throw "Pester wrote no summary (exit code $pesterExit)." }
    $pesterCounts = Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json
    if ($pesterExit -ne 0 -and $pesterCounts.Failed -eq 0) { throw "Pester failed with exit code $pesterExit." }
    if ($pesterCounts.Total -eq 0) { throw 'Pester ran no tests.' }

    $passed = $xunitPassed + $pesterCounts.Passed
    $failed = $xunitFailed + $pesterCounts.Failed
    Write-Host "xunit: $xunitPassed passed, $xunitFailed failed; Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed, $($pesterCounts.Skipped) skipped"
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0) { throw "$failed tests failed." }
}

function Invoke-Demo {
    # What an administrator does first, against the emulator with sample data. The emulator stops even when a step fails.
    Import-Module (Join-Path $Root 'src/ConfluenceAudit.Emulator/EmulatorProcess.psm1') -Force
    Import-Module (Join-Path $ModuleOut 'ConfluenceAudit.psd1') -Force
    $emulator = Start-ConfluenceAuditEmulator -Configuration $Configuration -ArgumentList '--records', '5000'
    $workDir = Join-Path $OutDir 'demo'
    try {
        function Show-Step([string] $Text, [string] $Command) {
            Write-Host "`n# $Text" -ForegroundColor Cyan
            Write-Host "PS> $Command" -ForegroundColor Yellow
        }

        Show-Step "Connect (the emulator stands in for https://<site>.atlassian.net)" "Connect-ConfluenceAudit -BaseUri $($emulator.BaseUri) -Credential `$credential"
        Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential)
        Get-ConfluenceAuditConnection | Format-Table | Out-Host

        Show-Step 'The latest records' 'Get-ConfluenceAuditRecord -First 10'
        Get-ConfluenceAuditRecord -First 10 | Format-Table | Out-Host

        Show-Step 'Everything in the log, counted by category' 'Get-ConfluenceAuditRecord | Group-Object Category | Sort-Object Count -Descending'
        Get-ConfluenceAuditRecord | Group-Object Category -NoElement | Sort-Object Count -Descending | Format-Table Count, Name | Out-Host

        Show-Step 'The last 7 days' 'Get-ConfluenceAuditRecord -Last 7 -Unit Days | Measure-Object'
        $week = Get-ConfluenceAuditRecord -Last 7 -Unit Days | Measure-Object
        Write-Host "$($week.Count) records in the last 7 days"

        Show-Step 'One record in full' 'Get-ConfluenceAuditRecord -First 1 | Format-List'
        Get-ConfluenceAuditRecord -First 1 | Format-List | Out-Host

        Show-Step 'Add a record, then find it again' "New-ConfluenceAuditRecord -RemoteAddress 10.20.30.40 -Summary 'Quarterly access review completed' -Category Security -AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' }"
        $null = New-ConfluenceAuditRecord -RemoteAddress 10.20.30.40 -Summary 'Quarterly access review completed' -Category Security -AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' } -AuthorName 'Ada Admin'
        Get-ConfluenceAuditRecord -SearchString 'Quarterly access review' | Format-Table | Out-Host

        New-Item -ItemType Directory -Path $workDir -Force | Out-Null
        Show-Step 'Export the last 30 days to a file' "Export-ConfluenceAudit -Path ./audit.zip -StartDate (Get-Date).AddDays(-30) -PassThru"
        $csv = Export-ConfluenceAudit -Path (Join-Path $workDir 'audit.csv') -StartDate (Get-Date).AddDays(-30) -PassThru
        $zip = Export-ConfluenceAudit -Path (Join-Path $workDir 'audit.zip') -StartDate (Get-Date).AddDays(-30) -PassThru
        Write-Host ("{0}: {1:N0} bytes; {2}: {3:N0} bytes" -f $csv.Name, $csv.Length, $zip.Name, $zip.Length)

        Show-Step 'Retention, and what a change would do' 'Get-ConfluenceAuditRetention; Set-ConfluenceAuditRetention -Number 1 -Unit Years -WhatIf'
        Get-ConfluenceAuditRetention | Format-Table | Out-Host
        Set-ConfluenceAuditRetention -Number 1 -Unit Years -WhatIf

        Disconnect-ConfluenceAudit
        Write-Host "`nDemo complete." -ForegroundColor Green
    }
    finally {
        $emulator | Stop-ConfluenceAuditEmulator
    }
}

function Invoke-Emulator {
    $dll = Join-Path $Root "src/ConfluenceAudit.Emulator/bin/$Configuration/net10.0/ConfluenceAudit.Emulator.dll"
    Invoke-Native dotnet $dll @EmulatorArgument
}

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Cyan
    switch ($name) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Build; Invoke-Test }
        'Demo' { Invoke-Build; Invoke-Demo }
        'Emulator' { Invoke-Build; Invoke-Emulator }
        'Clean' {
            foreach ($path in @($OutDir) + @(Get-ChildItem -Path (Join-Path $Root 'src'), (Join-Path $Root 'tests') -Directory -Recurse -Include bin, obj | ForEach-Object FullName)) {
                if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Recurse -Force }
            }
        }
    }
}
