# The Demo, Emulator and Bench tasks: the built module in use against the local emulator.

function Invoke-ModuleDemo {
    # What an administrator does first, against the emulator with sample data. The emulator stops even when a step fails.
    param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release')
    $paths = Get-BuildPath -Configuration $Configuration
    Import-Module (Join-Path $paths.Root 'src/ConfluenceAudit.Emulator/EmulatorProcess.psm1') -Global -Force
    Import-Module (Join-Path $paths.ModuleOut 'ConfluenceAudit.psd1') -Global -Force
    $emulator = Start-ConfluenceAuditEmulator -Configuration $Configuration -ArgumentList '--records', '5000'
    $workDir = Join-Path $paths.OutDir 'demo'
    # Tables are laid out for the console, or for 80 columns when there is none (output captured or piped), so
    # nothing the demo shows wraps in a terminal of 80 columns.
    $width = try { if ([Console]::IsOutputRedirected) { 0 } else { [Console]::WindowWidth } } catch { 0 }
    if ($width -le 0) { $width = 80 }
    try {
        function Show-Step([string] $Text, [string[]] $Command) {
            # A long pipeline is shown one command per line, as typed with a trailing pipe (or a backtick).
            Write-Host "`n# $Text" -ForegroundColor Cyan
            for ($i = 0; $i -lt $Command.Count; $i++) {
                $prompt = if ($i -eq 0) { 'PS> ' } else { '>>  ' }
                $pipe = if ($i -lt $Command.Count - 1 -and -not $Command[$i].EndsWith('`')) { ' |' } else { '' }
                Write-Host "$prompt$($Command[$i])$pipe" -ForegroundColor Yellow
            }
        }
        function Show-Output { $input | Out-String -Width $width -Stream | Where-Object { $_ -ne '' } | Out-Host }

        # The emulator serves Cloud's API on a loopback address, which by itself would be taken for Data Center.
        Show-Step 'Connect (the emulator stands in for https://<site>.atlassian.net)' @("Connect-ConfluenceAudit -BaseUri $($emulator.BaseUri) ``", '    -Deployment Cloud -Credential $credential')
        Connect-ConfluenceAudit -BaseUri $emulator.BaseUri -Deployment Cloud -Credential (Get-ConfluenceAuditEmulatorCredential)
        Get-ConfluenceAuditConnection | Format-List BaseUri, Deployment, AuditApi, AuthenticationType, UserName | Show-Output

        Show-Step 'The latest records' 'Get-ConfluenceAuditRecord -First 10'
        Get-ConfluenceAuditRecord -First 10 | Format-Table | Show-Output

        Show-Step 'Everything in the log, counted by category' @('Get-ConfluenceAuditRecord', 'Group-Object Category -NoElement', 'Sort-Object Count -Descending')
        Get-ConfluenceAuditRecord | Group-Object Category -NoElement | Sort-Object Count -Descending | Format-Table Count, Name | Show-Output

        Show-Step 'The last 7 days' 'Get-ConfluenceAuditRecord -Last 7 -Unit Days | Measure-Object'
        $week = Get-ConfluenceAuditRecord -Last 7 -Unit Days | Measure-Object
        Write-Host "$($week.Count) records in the last 7 days"

        Show-Step 'One record in full' 'Get-ConfluenceAuditRecord -First 1 | Format-List'
        Get-ConfluenceAuditRecord -First 1 | Format-List | Show-Output

        Show-Step 'Add a record, then find it again' @(
            "New-ConfluenceAuditRecord -RemoteAddress 10.20.30.40 -Category Security ``",
            "    -Summary 'Quarterly access review completed' ``",
            "    -AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' }")
        $null = New-ConfluenceAuditRecord -RemoteAddress 10.20.30.40 -Summary 'Quarterly access review completed' -Category Security -AffectedObject @{ Name = 'ENG'; ObjectType = 'Space' } -AuthorName 'Ada Admin'
        Get-ConfluenceAuditRecord -SearchString 'Quarterly access review' | Format-Table | Show-Output

        New-Item -ItemType Directory -Path $workDir -Force | Out-Null
        Show-Step 'Export the last 30 days to a file' @('Export-ConfluenceAudit -Path ./audit.zip -PassThru `', '    -StartDate (Get-Date).AddDays(-30)')
        $csv = Export-ConfluenceAudit -Path (Join-Path $workDir 'audit.csv') -StartDate (Get-Date).AddDays(-30) -PassThru
        $zip = Export-ConfluenceAudit -Path (Join-Path $workDir 'audit.zip') -StartDate (Get-Date).AddDays(-30) -PassThru
        Write-Host ("{0}: {1:N0} bytes; {2}: {3:N0} bytes" -f $csv.Name, $csv.Length, $zip.Name, $zip.Length)

        Show-Step 'How long the site keeps its audit log' 'Get-ConfluenceAuditRetention'
        Get-ConfluenceAuditRetention | Format-Table | Show-Output
        Show-Step 'Keep it longer (a shorter period asks first: it deletes records)' 'Set-ConfluenceAuditRetention -Number 6 -Unit Months -PassThru'
        Set-ConfluenceAuditRetention -Number 6 -Unit Months -PassThru | Format-Table | Show-Output

        $checkpoint = Join-Path $workDir 'audit.checkpoint'
        $forwarded = Join-Path $workDir 'forwarded.csv'
        Remove-Item -LiteralPath $checkpoint, $forwarded -ErrorAction Ignore
        Show-Step 'A collector: the first incremental run forwards the last 3 days, oldest first' @(
            'Get-ConfluenceAuditRecord -CheckpointPath ./audit.checkpoint `', '    -StartDate (Get-Date).AddDays(-3)',
            'Export-Csv -Append ./forwarded.csv')
        Get-ConfluenceAuditRecord -CheckpointPath $checkpoint -StartDate (Get-Date).AddDays(-3) | Export-Csv -Append -Path $forwarded
        Write-Host "$(@(Import-Csv -LiteralPath $forwarded).Count) records forwarded"
        $null = New-ConfluenceAuditRecord -RemoteAddress 10.20.30.41 -Summary 'Collector check: record one' -Category Security
        $null = New-ConfluenceAuditRecord -RemoteAddress 10.20.30.42 -Summary 'Collector check: record two' -Category Security
        Show-Step 'Two records are created; the next run forwards exactly those two' @(
            'Get-ConfluenceAuditRecord -CheckpointPath ./audit.checkpoint', 'Export-Csv -Append ./forwarded.csv')
        Get-ConfluenceAuditRecord -CheckpointPath $checkpoint | Export-Csv -Append -Path $forwarded
        Import-Csv -LiteralPath $forwarded | Select-Object -Last 2 | Format-Table CreationDateUtc, Category, Summary | Show-Output
        Write-Host "$(@(Import-Csv -LiteralPath $forwarded).Count) records forwarded in all;"
        Write-Host 'the checkpoint file says where the next run starts.'

        Show-Step 'An audit review report: one HTML page for any browser' @(
            'Export-ConfluenceAuditReport -Path ./audit-report.html `', "    -Title 'Confluence audit review' -PassThru")
        $report = Export-ConfluenceAuditReport -Path (Join-Path $workDir 'audit-report.html') -Title 'Confluence audit review' -PassThru
        Write-Host ('Report written ({0:N0} bytes); open it in a browser:' -f $report.Length)
        Write-Host (Resolve-Path -LiteralPath $report.FullName -Relative)

        Disconnect-ConfluenceAudit
        Write-Host "`nDemo complete." -ForegroundColor Green
    }
    finally {
        $emulator | Stop-ConfluenceAuditEmulator
    }
}

function Invoke-ModuleEmulator {
    # Runs the emulator in the foreground (Ctrl+C stops it); -ArgumentList such as '--records', '100000'.
    param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release', [string[]] $ArgumentList = @())
    $dll = Join-Path $script:RepoRoot "src/ConfluenceAudit.Emulator/bin/$Configuration/net10.0/ConfluenceAudit.Emulator.dll"
    Invoke-Native dotnet $dll @ArgumentList
}

function Invoke-ModuleBenchmark {
    # Listing speed and memory against the alternatives, written to docs/benchmarks.md; -Million for 1,000,000 records.
    param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release', [switch] $Million)
    & (Join-Path $script:RepoRoot 'tests/Benchmark/Invoke-Benchmark.ps1') -Configuration $Configuration -Million:$Million
    if (-not $?) { throw 'The benchmark failed.' }
}
