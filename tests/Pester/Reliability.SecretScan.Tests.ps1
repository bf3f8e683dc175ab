#Requires -Version 7.0
# Reliability: the BUILT module keeps its secrets.
#   f. a secret scan of every stream of a verbose, debug, failing run (a child pwsh against the emulator's faults)
# Every test prints its figures (Write-Host) and asserts them; a summary of all figures is printed at the end.
# Waits are kept short (-RetryIntervalSec 0, Retry-After 0-2 s) except for the Ctrl+C back-off.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Reliability.Support.ps1')
}

AfterAll {
    Close-ReliabilityTest
}

Describe 'f. Secret scan of a verbose, debug, failing run' {
    BeforeAll {
        Reset-ConfluenceSession
        Reset-ConfluenceAuditEmulator $script:Emulator
        $credentials = @(
            Get-ConfluenceAuditEmulatorCredential -Account Admin
            Get-ConfluenceAuditEmulatorCredential -Account User
            Get-ConfluenceAuditEmulatorCredential -Account Wrong
        )
        $plain = @(Get-ConfluenceAuditEmulatorSecret) + @($credentials | ForEach-Object { $_.GetNetworkCredential().Password })
        $basic = @($credentials | ForEach-Object { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($_.UserName):$($_.GetNetworkCredential().Password)")) })
        $script:Secrets = @($plain + $basic | Sort-Object -Unique)

        # The run happens in a child pwsh, as a user's console session: its console output is captured as well as
        # its transcript, every stream (*>&1, each item also shown so the transcript holds it), and $Error.
        $scenario = Join-Path $TestDrive 'SecretScan.Reliability.ps1'
        Set-Content -LiteralPath $scenario -Encoding utf8NoBOM -Value @'
param([string] $ModuleManifest, [string] $EmulatorModule, [string] $EmulatorUrl, [string] $OutDir)
$ErrorActionPreference = 'Continue'
Import-Module $ModuleManifest -ErrorAction Stop
Import-Module $EmulatorModule -ErrorAction Stop
$emulator = [pscustomobject]@{ Url = $EmulatorUrl; BaseUri = "$EmulatorUrl/wiki" }
foreach ($name in 'CONFLUENCE_BASE_URL', 'CONFLUENCE_EMAIL', 'CONFLUENCE_API_TOKEN', 'CONFLUENCE_TOKEN') { Remove-Item "Env:$name" -ErrorAction Ignore }
$Error.Clear()
$captured = [System.Collections.Generic.List[object]]::new()
Start-Transcript -LiteralPath (Join-Path $OutDir 'transcript.txt') -Force | Out-Null
try {
    & {
        $VerbosePreference = 'Continue'
        $DebugPreference = 'Continue'
        $connection = Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) -MaximumRetryCount 2 -RetryIntervalSec 0 -MaximumRetryWaitSec 1 -PassThru -Verbose -Debug
        $connection
        $connection | Format-List * -Force | Out-String -Width 300
        Get-ConfluenceAuditRecord -First 3 -Verbose -Debug
        # 401: a wrong API token.
        try { Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential -Account Wrong) -Verbose -Debug }
        catch { $_; $_ | Format-List * -Force | Out-String -Width 300; $_.Exception | Format-List * -Force | Out-String -Width 300; $_.Exception.ToString() }
        # 429 until the retries are exhausted; then connections dropped and reset until they are.
        Set-ConfluenceAuditEmulatorFault -Emulator $emulator -Settings @{ Queue = '429', '429', '429'; RetryAfterSec = 0 } | Out-Null
        Get-ConfluenceAuditRecord -First 3 -Verbose -Debug
        Set-ConfluenceAuditEmulatorFault -Emulator $emulator -Settings @{ Queue = 'drop', 'reset', 'drop' } | Out-Null
        Get-ConfluenceAuditRecord -Last 30 -Unit Days -First 3 -Verbose -Debug
        # A POST whose answer is cut off.
        Set-ConfluenceAuditEmulatorFault -Emulator $emulator -Settings @{ Queue = 'drop' } | Out-Null
        New-ConfluenceAuditRecord -RemoteAddress 10.1.2.3 -Summary 'Reliability: secret scan' -Verbose -Debug
        Clear-ConfluenceAuditEmulatorFault $emulator
        # A token connection, and one made from the environment.
        Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Token (Get-ConfluenceAuditEmulatorToken) -PassThru -Verbose -Debug | Format-List * -Force | Out-String -Width 300
        Disconnect-ConfluenceAudit
        $env:CONFLUENCE_BASE_URL = $emulator.BaseUri
        $env:CONFLUENCE_EMAIL = 'admin@example.com'
        $env:CONFLUENCE_API_TOKEN = 'emulator-admin-token'
        Get-ConfluenceAuditRecord -First 1 -Verbose -Debug
        Get-ConfluenceAuditConnection | Format-List * -Force | Out-String -Width 300
        Remove-Item Env:CONFLUENCE_EMAIL, Env:CONFLUENCE_API_TOKEN
    } *>&1 | ForEach-Object { $captured.Add($_); $_ }
}
finally {
    Stop-Transcript | Out-Null
}

$texts = [System.Collections.Generic.List[string]]::new()
foreach ($item in $captured) {
    $texts.Add("$item")
    $texts.Add(($item | Out-String -Width 300))
    if ($item -is [System.Management.Automation.ErrorRecord]) {
        $texts.Add(($item | Format-List * -Force | Out-String -Width 300))
        $texts.Add(($item.Exception | Format-List * -Force | Out-String -Width 300))
        $texts.Add($item.Exception.ToString())
    }
}
Set-Content -LiteralPath (Join-Path $OutDir 'streams.txt') -Value ($texts -join "`n") -Encoding utf8NoBOM
$errorTexts = foreach ($e in @($Error)) {
    ($e | Out-String -Width 300)
    ($e | Format-List * -Force | Out-String -Width 300)
    $exception = if ($e -is [System.Management.Automation.ErrorRecord]) { $e.Exception } else { $e }
    if ($exception) { ($exception | Format-List * -Force | Out-String -Width 300); $exception.ToString() }
}
Set-Content -LiteralPath (Join-Path $OutDir 'errors.txt') -Value ($errorTexts -join "`n") -Encoding utf8NoBOM
[ordered]@{
    Items      = $captured.Count
    Verbose    = @($captured | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count
    RetryLines = @($captured | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'Retry \d+ of' }).Count
    Debug      = @($captured | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count
    ErrorIds   = @($captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*$' })
    Errors     = $Error.Count
} | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $OutDir 'summary.json') -Encoding utf8NoBOM
'@
        $outDir = Join-Path $TestDrive 'secret-scan'
        New-Item -ItemType Directory -Path $outDir -Force | Out-Null
        $console = Join-Path $outDir 'console.txt'
        $emulatorModule = (Get-Module EmulatorProcess).Path
        $run = Invoke-ChildPwsh -File $scenario -TimeoutSec 300 -ArgumentList '-ModuleManifest', (Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1'),
            '-EmulatorModule', $emulatorModule, '-EmulatorUrl', $script:Emulator.Url, '-OutDir', $outDir
        $run.Output | Set-Content -LiteralPath $console
        $script:ScenarioExit = $run.ExitCode
        $script:Summary = if (Test-Path -LiteralPath (Join-Path $outDir 'summary.json')) { Get-Content -LiteralPath (Join-Path $outDir 'summary.json') -Raw | ConvertFrom-Json } else { $null }
        $script:Texts = [ordered]@{}
        foreach ($name in 'console', 'streams', 'errors', 'transcript') {
            $file = Join-Path $outDir "$name.txt"
            $script:Texts[$name] = if (Test-Path -LiteralPath $file) { Get-Content -LiteralPath $file -Raw } else { '' }
        }
        $script:Hits = [ordered]@{}
        foreach ($name in $script:Texts.Keys) { $script:Hits[$name] = Measure-SecretHit -Text $script:Texts[$name] -Secrets $script:Secrets }
        $total = ($script:Hits.Values | Measure-Object -Sum).Sum
        Write-Host "    secret hits: $total" -ForegroundColor Cyan
        $sizes = ($script:Texts.Keys | ForEach-Object { "$_ $($script:Texts[$_].Length)" }) -join ', '
        Add-Figure 'f' 'secret hits (console / streams / $Error / transcript)' "$total ($(@($script:Hits.Values) -join ' / ')) for $($script:Secrets.Count) secrets in characters: $sizes"
    }

    AfterAll { Reset-ConfluenceAuditEmulator $script:Emulator }

    It 'the scanner finds a secret when there is one' {
        Measure-SecretHit -Text "x $($script:Secrets[0]) y $($script:Secrets[-1])" -Secrets $script:Secrets | Should -Be 2
    }

    It 'the run produced what is scanned: verbose retry lines, debug output, the failures, a transcript' {
        $script:ScenarioExit | Should -Be 0 -Because $script:Texts.console
        $script:Summary | Should -Not -BeNullOrEmpty
        $script:Summary.Verbose | Should -BeGreaterThan 10
        $script:Summary.RetryLines | Should -BeGreaterOrEqual 4
        $script:Summary.ErrorIds | Should -Contain 'ConfluenceAuthenticationFailed'
        $script:Summary.ErrorIds | Should -Contain 'ConfluenceRateLimited'
        $script:Summary.ErrorIds | Should -Contain 'ConfluenceConnectionFailed'
        $script:Summary.Errors | Should -BeGreaterOrEqual 3
        foreach ($name in 'console', 'transcript') {
            $script:Texts[$name] | Should -Match 'Retry \d+ of' -Because "the $name shows the verbose stream"
            $script:Texts[$name] | Should -Match 'ConfluenceRateLimited|rate limiting' -Because "the $name shows the errors"
        }
        $script:Texts.streams | Should -Match 'admin@example\.com' -Because 'the user name is no secret, and shows the scan saw the connection'
    }

    It 'no secret in <Name>' -ForEach @(@{ Name = 'console' }, @{ Name = 'streams' }, @{ Name = 'errors' }, @{ Name = 'transcript' }) {
        $script:Hits[$Name] | Should -Be 0
    }
}
