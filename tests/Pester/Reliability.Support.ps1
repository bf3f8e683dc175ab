# What the Reliability.*.Tests.ps1 files share. Their BeforeAll dot-sources it:  . (Join-Path $PSScriptRoot 'Reliability.Support.ps1')
# and their AfterAll runs Close-ReliabilityTest, which also prints the figures the file collected with Add-Figure.
# It dot-sources TestSupport.ps1, imports the modules, starts an emulator ($script:Emulator, 1,500 records over 20
# days) and defines the helpers that sort a command's streams and compare listings as multisets of content keys.

function Close-ReliabilityTest {
    # What each file's AfterAll runs: the session and environment as they were, the emulators stopped.
    if (Get-Command Disconnect-ConfluenceAudit -ErrorAction Ignore) { Reset-ConfluenceSession }
    if ($script:SavedEnvironment) { Restore-ConfluenceEnvironment $script:SavedEnvironment }
    if ($script:BigEmulator) { $script:BigEmulator | Stop-ConfluenceAuditEmulator }
    if ($script:Emulator) { $script:Emulator | Stop-ConfluenceAuditEmulator }
    if ($script:Figures -and $script:Figures.Count -gt 0) {
        Write-Host ''
        Write-Host "Reliability figures (the file ran $([Math]::Round($script:FileTimer.Elapsed.TotalSeconds, 1)) s):" -ForegroundColor Green
        Write-Host ($script:Figures | Format-Table -AutoSize -Wrap | Out-String -Width 200)
    }
}

$script:Emulator = $null
$script:BigEmulator = $null
$script:SavedEnvironment = $null
. (Join-Path $PSScriptRoot 'TestSupport.ps1')
Import-TestModules
$script:SavedEnvironment = Save-ConfluenceEnvironment
Reset-ConfluenceSession
$script:FileTimer = [System.Diagnostics.Stopwatch]::StartNew()
$script:Figures = [System.Collections.Generic.List[object]]::new()
$script:Emulator = Start-ConfluenceAuditEmulator -ArgumentList '--records', '1500', '--span-days', '20'

# The mix of part a: every kind of failure a listing must survive (429-huge is clamped to 1 s, the rest wait 0-1 s).
$script:MixedKinds = '429', '429-date', '429-huge', '503', '503-plain', 'drop', 'reset'
# Most faults are set for the listing's page requests only (Set-EmulatorFault -Path $script:AuditPath -Method GET).
$script:AuditPath = '/wiki/rest/api/audit'

function Add-Figure {
    # Prints one figure now and keeps it for the summary at the end.
    param([string] $Section, [string] $Name, $Value)
    $script:Figures.Add([pscustomobject]@{ Section = $Section; Figure = $Name; Value = "$Value" })
    Write-Host ("    [{0}] {1}: {2}" -f $Section, $Name, $Value) -ForegroundColor Cyan
}

function Connect-Emulator {
    # The default connection to an emulator, with the retry settings under test. Connect sends one request.
    param($Target = $script:Emulator, [int] $MaximumRetryCount = 3, [int] $RetryIntervalSec = 0, [int] $MaximumRetryWaitSec = 1)
    Connect-ConfluenceAudit -BaseUri $Target.BaseUri -Credential (Get-ConfluenceAuditEmulatorCredential) `
        -MaximumRetryCount $MaximumRetryCount -RetryIntervalSec $RetryIntervalSec -MaximumRetryWaitSec $MaximumRetryWaitSec
}

function Invoke-Observed {
    # Runs a command (that passes -Verbose itself) and sorts what it emits into records, verbose lines, warnings and
    # errors, terminating or not. Streams are merged into the output, so nothing is lost when an error stops it.
    param([Parameter(Mandatory)] [scriptblock] $Command)
    # What a user's session does by default (the test runner itself may run with Stop).
    $ErrorActionPreference = 'Continue'
    $items = [System.Collections.Generic.List[object]]::new()
    $result = [pscustomobject]@{
        Records   = [System.Collections.Generic.List[object]]::new()
        Verbose   = [System.Collections.Generic.List[string]]::new()
        Warnings  = [System.Collections.Generic.List[string]]::new()
        Errors    = [System.Collections.Generic.List[object]]::new()
        ElapsedMs = 0L
    }
    $timer = [System.Diagnostics.Stopwatch]::StartNew()
    try { & $Command 4>&1 3>&1 2>&1 | & { process { $items.Add($_) } } }
    catch { $result.Errors.Add($_) }
    $timer.Stop()
    $result.ElapsedMs = $timer.ElapsedMilliseconds
    foreach ($item in $items) {
        if ($item -is [System.Management.Automation.VerboseRecord]) { $result.Verbose.Add($item.Message) }
        elseif ($item -is [System.Management.Automation.WarningRecord]) { $result.Warnings.Add($item.Message) }
        elseif ($item -is [System.Management.Automation.ErrorRecord]) { $result.Errors.Add($item) }
        else { $result.Records.Add($item) }
    }
    $result
}

function Get-RetryLine {
    param([string[]] $Verbose)
    @($Verbose | Where-Object { $_ -match 'Retry \d+ of \d+ in [\d.,]+ s' })
}

function Get-KeyCount {
    # Records have no id: a multiset of content keys (creation time, category, summary, author, address,
    # description, affected object). The emulator seeds a few records identical in every field, hence counts.
    param([AllowEmptyCollection()] [System.Collections.IEnumerable] $Records, [switch] $Wire)
    $counts = [System.Collections.Generic.Dictionary[string, int]]::new([StringComparer]::Ordinal)
    foreach ($r in $Records) {
        if ($Wire) {
            $author = if ($null -ne $r.author) { $r.author.displayName } else { '' }
            $affected = if ($null -ne $r.affectedObject) { "$($r.affectedObject.name)/$($r.affectedObject.objectType)" } else { '' }
            $key = "$($r.creationDate)|$($r.category)|$($r.summary)|$author|$($r.remoteAddress)|$($r.description)|$affected"
        }
        else {
            $date = if ($null -ne $r.CreationDate) { $r.CreationDate.ToUnixTimeMilliseconds() } else { '' }
            $author = if ($null -ne $r.Author) { $r.Author.DisplayName } else { '' }
            $affected = if ($null -ne $r.AffectedObject) { "$($r.AffectedObject.Name)/$($r.AffectedObject.ObjectType)" } else { '' }
            $key = "$date|$($r.Category)|$($r.Summary)|$author|$($r.RemoteAddress)|$($r.Description)|$affected"
        }
        $n = 0
        $null = $counts.TryGetValue($key, [ref] $n)
        $counts[$key] = $n + 1
    }
    , $counts
}

function Compare-KeyCount {
    # Lost: expected occurrences missing. Duplicated: occurrences beyond what exists, where records that arrived
    # during the listing ($Arrived) may each appear as often as they exist (they are New, not duplicates).
    param($Expected, $Actual, $Arrived)
    $lost = 0; $duplicated = 0; $new = 0
    foreach ($pair in $Expected.GetEnumerator()) {
        $got = 0
        $null = $Actual.TryGetValue($pair.Key, [ref] $got)
        if ($got -lt $pair.Value) { $lost += $pair.Value - $got }
    }
    foreach ($pair in $Actual.GetEnumerator()) {
        $want = 0; $arrivedCount = 0
        $null = $Expected.TryGetValue($pair.Key, [ref] $want)
        if ($Arrived) { $null = $Arrived.TryGetValue($pair.Key, [ref] $arrivedCount) }
        $extra = $pair.Value - $want
        if ($extra -gt 0) {
            $ok = [Math]::Min($extra, $arrivedCount)
            $new += $ok
            $duplicated += $extra - $ok
        }
    }
    [pscustomobject]@{ Lost = $lost; Duplicated = $duplicated; New = $new }
}

function Get-WireRecordFrom {
    # Records created at or after $StartMs, read straight from the emulator (no module), as JSON objects.
    param([Parameter(Mandatory)] $Target, [Parameter(Mandatory)] [long] $StartMs)
    $headers = Get-AdminAuthorizationHeader
    $all = [System.Collections.Generic.List[object]]::new()
    while ($true) {
        $page = Invoke-RestMethod -NoProxy -Headers $headers -Uri "$($Target.BaseUri)/rest/api/audit?startDate=$StartMs&start=$($all.Count)&limit=1000"
        $results = @($page.results)
        if ($results.Count -eq 0) { break }
        $all.AddRange([object[]]$results)
    }
    , $all
}

function Get-Attempt {
    # The attempts at the request that drew the first fault: every logged request with its method, path and query,
    # in arrival order. Other requests (a module reading pages ahead) are left out.
    param([object[]] $Requests)
    $first = @($Requests | Where-Object { $_.fault })[0]
    if (-not $first) { return @() }
    @($Requests | Where-Object { $_.method -eq $first.method -and $_.path -eq $first.path -and $_.query -eq $first.query })
}

function Get-RetryGapMs {
    # Milliseconds between the first faulted request and its retry, as the server saw them arrive.
    param([object[]] $Requests)
    $attempts = @(Get-Attempt $Requests)
    if ($attempts.Count -lt 2) { return -1 }
    [long]$attempts[1].receivedMs - [long]$attempts[0].receivedMs
}

function New-ModuleShell {
    # A PowerShell instance in its own runspace with the built module imported and connected: what a user's console
    # is when they press Ctrl+C (PowerShell.Stop() is what the host calls), and a way to bound a command in time.
    param([Parameter(Mandatory)] $Target, [int] $MaximumRetryWaitSec = 60)
    $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
    $runspace.Open()
    $shell = [powershell]::Create()
    $shell.Runspace = $runspace
    $null = $shell.AddScript({
            param($Manifest, $BaseUri, $Credential, $WaitSec)
            Import-Module $Manifest -ErrorAction Stop
            Connect-ConfluenceAudit -BaseUri $BaseUri -Credential $Credential -MaximumRetryCount 3 -RetryIntervalSec 0 -MaximumRetryWaitSec $WaitSec -ErrorAction Stop
        }).AddArgument((Join-Path (Get-TestModulePath) 'ConfluenceAudit.psd1')).AddArgument($Target.BaseUri).AddArgument((Get-ConfluenceAuditEmulatorCredential)).AddArgument($MaximumRetryWaitSec)
    $null = $shell.Invoke()
    if ($shell.HadErrors) { throw "The module shell could not connect: $($shell.Streams.Error | Out-String)" }
    $shell.Commands.Clear()
    $shell.Streams.ClearStreams()
    $shell
}

function Remove-ModuleShell {
    param($Shell)
    if (-not $Shell) { return }
    if ($Shell.InvocationStateInfo.State -eq 'Running') { $Shell.Stop() }
    $Shell.Runspace.Dispose()
    $Shell.Dispose()
}

function Measure-SecretHit {
    # Occurrences of any of $Secrets in $Text (ordinal, case-sensitive: tokens and base64 are case-sensitive).
    param([string] $Text, [string[]] $Secrets)
    $hits = 0
    foreach ($secret in $Secrets) {
        $at = $Text.IndexOf($secret, [StringComparison]::Ordinal)
        while ($at -ge 0) { $hits++; $at = $Text.IndexOf($secret, $at + 1, [StringComparison]::Ordinal) }
    }
    $hits
}
