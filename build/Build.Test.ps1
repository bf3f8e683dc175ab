# The Test task: xunit (the core, the cmdlets, the report in a browser), then Pester against the built module in a
# child pwsh; one line "N passed, N failed, N skipped" for all.

function Get-PesterModulePath {
    # Pester comes from NuGet (there is no PowerShell Gallery here): restore it, then import it from the package cache.
    Invoke-Native dotnet restore (Join-Path $script:RepoRoot 'tests/tools/TestTools.csproj') --nologo --verbosity quiet
    $cache = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $path = Join-Path $cache.Trim() "pester/$script:PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $path)) { throw "Pester $script:PesterVersion was not restored ($path)." }
    $path
}

function Invoke-ModuleTest {
    param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release')
    $paths = Get-BuildPath -Configuration $Configuration
    $root = $paths.Root
    $testResults = $paths.TestResults
    if (Test-Path -LiteralPath $testResults) { Remove-Item -LiteralPath $testResults -Recurse -Force }
    New-Item -ItemType Directory -Path $testResults | Out-Null

    # xunit: the core against a fake handler and the cmdlets in an in-process runspace; then the report in a browser
    # (skipped, with the reason, where Chromium is not installed).
    $xunitPassed = 0; $xunitFailed = 0; $xunitSkipped = 0
    foreach ($project in 'ConfluenceAudit.Tests', 'ConfluenceAudit.BrowserTests') {
        $trx = "$project.trx"
        & dotnet test (Join-Path $root "tests/$project/$project.csproj") -c $Configuration --no-build --nologo `
            --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal' --results-directory $testResults
        $xunitExit = $LASTEXITCODE
        $trxPath = Join-Path $testResults $trx
        if (-not (Test-Path -LiteralPath $trxPath)) { throw "$project wrote no results (exit code $xunitExit)." }
        $counters = ([xml](Get-Content -LiteralPath $trxPath -Raw)).TestRun.ResultSummary.Counters
        $failedHere = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        if ($xunitExit -ne 0 -and $failedHere -eq 0) { throw "$project failed with exit code $xunitExit." }
        if ([int]$counters.total -eq 0) { throw "$project ran no tests." }
        $xunitPassed += [int]$counters.passed
        $xunitFailed += $failedHere
        $xunitSkipped += [int]$counters.total - [int]$counters.passed - $failedHere
    }

    # Pester: the built module in a child pwsh, so the test session is as fresh as a user's.
    $pester = Get-PesterModulePath
    Invoke-Native npm ci --prefix (Join-Path $root 'tests/contract') --no-audit --no-fund --loglevel=error
    $summary = Join-Path $testResults 'pester-summary.json'
    & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $root 'tests/Pester/Invoke-PesterTests.ps1') `
        -PesterPath $pester -ModulePath $paths.ModuleOut -SummaryPath $summary -ResultsPath (Join-Path $testResults 'pester.xml')
    $pesterExit = $LASTEXITCODE
    if (-not (Test-Path -LiteralPath $summary)) { throw "Pester wrote no summary (exit code $pesterExit)." }
    $pesterCounts = Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json
    if ($pesterExit -ne 0 -and $pesterCounts.Failed -eq 0) { throw "Pester failed with exit code $pesterExit." }
    if ($pesterCounts.Total -eq 0) { throw 'Pester ran no tests.' }

    $passed = $xunitPassed + $pesterCounts.Passed
    $failed = $xunitFailed + $pesterCounts.Failed
    $skipped = $xunitSkipped + $pesterCounts.Skipped
    Write-Host "xunit: $xunitPassed passed, $xunitFailed failed, $xunitSkipped skipped; Pester: $($pesterCounts.Passed) passed, $($pesterCounts.Failed) failed, $($pesterCounts.Skipped) skipped"
    Write-Output "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { throw "$failed tests failed." }
}
