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
    .PARAMETER ArgumentList
    Extra emulator options, such as '--records', '5000' or '--max-limit', '250'.
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
    if ($line.Result -notmatch 'http://127\.0\.0\.1:(\d+)') {
        Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
        throw "Unexpected first line from the emulator: $($line.Result)"
    }

    $url = "http://127.0.0.1:$($Matches[1])"
    [pscustomobject]@{
        PSTypeName = 'ConfluenceAudit.Emulator'
        Url        = $url
        BaseUri    = "$url/wiki"
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
    <# .SYNOPSIS The emulator's administrator (default) or non-administrator credential, as Connect-ConfluenceAudit takes it. #>
    param([ValidateSet('Admin', 'User', 'Wrong')] [string] $Account = 'Admin')
    $name, $secret = switch ($Account) {
        'Admin' { $script:Credentials.AdminEmail, $script:Credentials.AdminApiToken }
        'User' { $script:Credentials.UserEmail, $script:Credentials.UserApiToken }
        'Wrong' { $script:Credentials.AdminEmail, 'not-the-token' }
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
    @($script:Credentials.AdminApiToken, $script:Credentials.AdminPat, $script:Credentials.UserApiToken, $script:Credentials.UserPat)
}

Export-ModuleMember -Function Start-ConfluenceAuditEmulator, Stop-ConfluenceAuditEmulator, Get-ConfluenceAuditEmulatorCredential, Get-ConfluenceAuditEmulatorToken, Get-ConfluenceAuditEmulatorSecret
