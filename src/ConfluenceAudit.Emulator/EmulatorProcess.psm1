# Starts and stops the local Confluence audit emulator for the demo, the benchmark and the Pester tests.
# The emulator runs as its own process on a free loopback port; closing its standard input ends it, so it
# also goes away when the PowerShell process that started it dies.

Set-StrictMode -Version Latest

# The emulator's built-in accounts (see its --help): an administrator and a user without audit permission.
$script:Credentials = @{
    AdminEmail    = 'admin@example.com'
    AdminApiToken = 'emulator-admin-token'
    AdminPat      = 'emulator-admin-pat'
    UserEmail     = 'user@example.com'
    UserApiToken  = 'emulator-user-token'
    UserPat       = 'emulator-user-pat'
    # Data Center mode (--deployment datacenter): Basic takes a user name and a password.
    AdminUsername = 'admin'
    AdminPassword = 'emulator-admin-password'
    UserUsername  = 'user'
    UserPassword  = 'emulator-user-password'
}

function Get-EmulatorAssemblyPath {
    param([string] $Configuration = 'Release')
    $root = Split-Path -Parent $PSScriptRoot | Split-Path -Parent
    $path = Join-Path $root "src/ConfluenceAudit.Emulator/bin/$Configuration/net10.0/ConfluenceAudit.Emulator.dll"
    if (-not (Test-Path -LiteralPath $path)) {
        throw "The emulator is not built ($path). Run ./build.ps1 Build first."
    }
    $path
}

function Start-ConfluenceAuditEmulator {
    <#
    .SYNOPSIS
    Starts the emulator on a free loopback port and returns an object with its BaseUri, Url and Process.
    .DESCRIPTION
    BaseUri is the URL to connect to, as the emulator prints it: http://127.0.0.1:PORT/wiki in Cloud mode,
    http://127.0.0.1:PORT/confluence (or the --context-path given) with '--deployment', 'datacenter'.
    Url is http://127.0.0.1:PORT, where the control endpoints (/__emulator/...) are.
    With '--https' both are https:// and the server's certificate is self-signed (the control helpers below skip
    the certificate check for it; direct calls need Invoke-RestMethod -SkipCertificateCheck).
    .PARAMETER ArgumentList
    Extra emulator options, such as '--records', '5000' or '--max-limit', '250', or '--deployment', 'datacenter'.
    #>
    [CmdletBinding()]
    param(
        [string[]] $ArgumentList = @(),
        [string] $Configuration = 'Release',
        [int] $StartTimeoutSec = 60
    )

    $dll = Get-EmulatorAssemblyPath -Configuration $Configuration
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dll, '--port', '0', '--exit-on-stdin-close', '--quiet') + $ArgumentList) {
        $startInfo.ArgumentList.Add([string]$argument)
    }
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)

    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait([TimeSpan]::FromSeconds($StartTimeoutSec)) -or $null -eq $line.Result) {
        Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
        throw "The emulator did not report its address within $StartTimeoutSec seconds (exit code: $(if ($process.HasExited) { $process.ExitCode } else { 'still running' }))."
    }
    if ($line.Result -notmatch '(https?)://127\.0\.0\.1:(\d+)') {
        Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
        throw "Unexpected first line from the emulator: $($line.Result)"
    }

    $url = "$($Matches[1])://127.0.0.1:$($Matches[2])"
    # The line names the base URL: /wiki on Cloud, the context path on Data Center (nothing for the root).
    $baseUri = if ($line.Result -match '\(base URL (https?://127\.0\.0\.1:\d+[^\s)]*)\)') { $Matches[1] } else { "$url/wiki" }
    [pscustomobject]@{
        PSTypeName = 'ConfluenceAudit.Emulator'
        Url        = $url
        BaseUri    = $baseUri
        Process    = $process
    }
}

function Stop-ConfluenceAuditEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        $process = $Emulator.Process
        if ($process.HasExited) { return }
        try { $process.StandardInput.Close() } catch { Write-Verbose "Closing the emulator's input failed: $_" }
        if (-not $process.WaitForExit(10000)) {
            Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
        }
    }
}

function Get-ConfluenceAuditEmulatorCredential {
    <#
    .SYNOPSIS
    The emulator's administrator (default) or non-administrator credential, as Connect-ConfluenceAudit takes it:
    email and API token on Cloud, user name and password with -Deployment DataCenter.
    #>
    param(
        [ValidateSet('Admin', 'User', 'Wrong')] [string] $Account = 'Admin',
        [ValidateSet('Cloud', 'DataCenter')] [string] $Deployment = 'Cloud'
    )
    $c = $script:Credentials
    $name, $secret = if ($Deployment -eq 'DataCenter') {
        switch ($Account) {
            'Admin' { $c.AdminUsername, $c.AdminPassword }
            'User' { $c.UserUsername, $c.UserPassword }
            'Wrong' { $c.AdminUsername, 'not-the-password' }
        }
    }
    else {
        switch ($Account) {
            'Admin' { $c.AdminEmail, $c.AdminApiToken }
            'User' { $c.UserEmail, $c.UserApiToken }
            'Wrong' { $c.AdminEmail, 'not-the-token' }
        }
    }
    [pscredential]::new($name, (ConvertTo-SecureString $secret -AsPlainText -Force))
}

function Get-ConfluenceAuditEmulatorToken {
    <# .SYNOPSIS The emulator's administrator (default) or non-administrator personal access token, as a SecureString. #>
    param([ValidateSet('Admin', 'User', 'Wrong')] [string] $Account = 'Admin')
    $secret = switch ($Account) {
        'Admin' { $script:Credentials.AdminPat }
        'User' { $script:Credentials.UserPat }
        'Wrong' { 'not-a-token' }
    }
    ConvertTo-SecureString $secret -AsPlainText -Force
}

function Get-ConfluenceAuditEmulatorSecret {
    <# .SYNOPSIS Every secret the emulator knows, for tests that scan output for leaks. #>
    @($script:Credentials.AdminApiToken, $script:Credentials.AdminPat, $script:Credentials.UserApiToken, $script:Credentials.UserPat,
        $script:Credentials.AdminPassword, $script:Credentials.UserPassword)
}

Export-ModuleMember -Function Start-ConfluenceAuditEmulator, Stop-ConfluenceAuditEmulator, Get-ConfluenceAuditEmulatorCredential, Get-ConfluenceAuditEmulatorToken, Get-ConfluenceAuditEmulatorSecret

# --- Control endpoints: fault injection, statistics, the request log, records (see the emulator's --help) ---

function Invoke-EmulatorControl {
    # One call to /__emulator/<Path> of a running emulator (the object Start-ConfluenceAuditEmulator returned).
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Path, [string] $Method = 'Get', $Body)
    if (-not $Emulator.Url) { throw 'Pass the object Start-ConfluenceAuditEmulator returned as -Emulator.' }
    $request = @{ Uri = "$($Emulator.Url)/__emulator/$Path"; Method = $Method; NoProxy = $true }
    # --https: the emulator's own self-signed certificate, on loopback.
    if ($Emulator.Url -like 'https://*') { $request.SkipCertificateCheck = $true }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $request.ContentType = 'application/json'
        $request.Body = $Body | ConvertTo-Json -Depth 5 -Compress
    }
    Invoke-RestMethod @request
}

function Set-ConfluenceAuditEmulatorFault {
    <#
    .SYNOPSIS
    Replaces the emulator's fault injection (POST /__emulator/faults) and returns the settings now in force.
    .DESCRIPTION
    Settings (any subset; what is left out takes its default, so each call states the whole configuration):
      FailureRate 0..1, Kinds ('429','429-date','429-huge','503','503-plain','drop','reset','slow','short'),
      RetryAfterSec, SlowMs, Seed, Queue (faults for the next requests, in order; 'none' for a normal answer),
      Path (e.g. '/wiki/rest/api/audit'; a trailing * makes it a prefix), Method (e.g. 'GET'),
      InsertPerRequest (records inserted before each page GET), IgnoreStart.
    Faults hit API requests under /wiki/rest/ ({context}/rest/ on Data Center) only, never the control endpoints.
    The counters are kept.
    .EXAMPLE
    Set-ConfluenceAuditEmulatorFault -Emulator $e -Settings @{ Queue = '429', 'drop', '503'; RetryAfterSec = 0 }
    .EXAMPLE
    Set-ConfluenceAuditEmulatorFault -Emulator $e -Settings @{ FailureRate = 0.2; Kinds = '429', 'drop'; Seed = 7; InsertPerRequest = 3 }
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Settings)
    $body = @{}
    foreach ($key in $Settings.Keys) {
        $value = $Settings[$key]
        # Lists stay JSON arrays even with one item; '429,drop' is taken as two items.
        $body[$key] = if ($key -in 'Kinds', 'Queue') { , @($value | ForEach-Object { ([string]$_) -split ',' } | Where-Object { $_.Trim() } | ForEach-Object { $_.Trim() }) } else { $value }
    }
    Invoke-EmulatorControl -Emulator $Emulator -Path 'faults' -Method Post -Body $body
}

function Get-ConfluenceAuditEmulatorFault {
    <# .SYNOPSIS The emulator's fault settings, with what is left of the queue (GET /__emulator/faults). #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process { Invoke-EmulatorControl -Emulator $Emulator -Path 'faults' }
}

function Clear-ConfluenceAuditEmulatorFault {
    <# .SYNOPSIS No more faults (DELETE /__emulator/faults); the counters are kept. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process { Invoke-EmulatorControl -Emulator $Emulator -Path 'faults' -Method Delete | Out-Null }
}

function Get-ConfluenceAuditEmulatorStat {
    <#
    .SYNOPSIS
    The emulator's counters (GET /__emulator/stats): ApiRequests, FaultsInjected, FaultsByKind (a hashtable),
    RecordsInserted (by InsertPerRequest), QueueRemaining.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        $stats = Invoke-EmulatorControl -Emulator $Emulator -Path 'stats'
        $byKind = @{}
        foreach ($p in $stats.faultsByKind.PSObject.Properties) { $byKind[$p.Name] = [long]$p.Value }
        [pscustomobject]@{
            PSTypeName      = 'ConfluenceAudit.EmulatorStat'
            ApiRequests     = [long]$stats.apiRequests
            FaultsInjected  = [long]$stats.faultsInjected
            FaultsByKind    = $byKind
            RecordsInserted = [long]$stats.recordsInserted
            QueueRemaining  = [int]$stats.queueRemaining
        }
    }
}

function Clear-ConfluenceAuditEmulatorStat {
    <# .SYNOPSIS Zeroes the emulator's counters (DELETE /__emulator/stats). #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process { Invoke-EmulatorControl -Emulator $Emulator -Path 'stats' -Method Delete | Out-Null }
}

function Get-ConfluenceAuditEmulatorRequest {
    <#
    .SYNOPSIS
    The emulator's request log, oldest first: method, path, query, status (0 when a drop/reset fault aborted it),
    aborted, fault, authScheme, body, userAgent, receivedMs (epoch ms). Control requests are never logged.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process {
        # Invoke-RestMethod writes an empty JSON array as nothing and an array as one object: unroll it.
        @(Invoke-EmulatorControl -Emulator $Emulator -Path 'requests') | ForEach-Object { $_ }
    }
}

function Clear-ConfluenceAuditEmulatorRequest {
    <# .SYNOPSIS Empties the emulator's request log. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process { Invoke-EmulatorControl -Emulator $Emulator -Path 'requests' -Method Delete | Out-Null }
}

function Add-ConfluenceAuditEmulatorRecord {
    <# .SYNOPSIS Inserts -Count generated records, dated now or -CreationDate; returns the new total. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateRange(1, 1000000)] [int] $Count = 1,
        [DateTimeOffset] $CreationDate
    )
    $path = "records?count=$Count"
    if ($PSBoundParameters.ContainsKey('CreationDate')) { $path += "&creationDate=$($CreationDate.ToUnixTimeMilliseconds())" }
    [int](Invoke-EmulatorControl -Emulator $Emulator -Path $path -Method Post).total
}

function Get-ConfluenceAuditEmulatorRecordCount {
    <# .SYNOPSIS How many records the emulator holds. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process { [int](Invoke-EmulatorControl -Emulator $Emulator -Path 'records/count').total }
}

function Get-ConfluenceAuditEmulatorConfig {
    <# .SYNOPSIS The emulator's run-time settings (GET /__emulator/config), as Set-ConfluenceAuditEmulatorConfig returns them. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process { Invoke-EmulatorControl -Emulator $Emulator -Path 'config' }
}

function Set-ConfluenceAuditEmulatorConfig {
    <#
    .SYNOPSIS
    Changes the emulator's run-time settings and returns them: any of MaxLimit, SizeIsTotal, LatencyMs, and in Data
    Center mode DcMaxLimit, DcCsvCap, DcCursorObject, DcAnonymous ('redirect'/'html'), DcSearchTimeout, DcLegacyPost;
    ClockOffsetMs (the server's clock ahead of this machine's, negative: behind) in both.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Settings)
    Invoke-EmulatorControl -Emulator $Emulator -Path 'config' -Method Post -Body $Settings
}

function Reset-ConfluenceAuditEmulator {
    <# .SYNOPSIS Back to the seeded records and start-up settings, with an empty log, no faults and zeroed counters. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator)
    process { Invoke-EmulatorControl -Emulator $Emulator -Path 'reset' -Method Post | Out-Null }
}

Export-ModuleMember -Function Set-ConfluenceAuditEmulatorFault, Get-ConfluenceAuditEmulatorFault, Clear-ConfluenceAuditEmulatorFault,
    Get-ConfluenceAuditEmulatorStat, Clear-ConfluenceAuditEmulatorStat, Get-ConfluenceAuditEmulatorRequest, Clear-ConfluenceAuditEmulatorRequest,
    Add-ConfluenceAuditEmulatorRecord, Get-ConfluenceAuditEmulatorRecordCount, Get-ConfluenceAuditEmulatorConfig, Set-ConfluenceAuditEmulatorConfig, Reset-ConfluenceAuditEmulator
