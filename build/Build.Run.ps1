# The Demo, Emulator and Bench tasks: the built module in use against the local emulator.

function Invoke-ModuleDemo {
    # What an administrator does first, against the emulator with sample data. The emulator stops even when a step fails.
    param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release')
    $paths = Get-BuildPath -Configuration $Configuration
    Import-Module (Join-Path $paths.Root 'src/ConfluenceAudit.Emulator/EmulatorProcess.psm1') -Global -Force
    Import-Module (Join-Path $paths.ModuleOut 'ConfluenceAudit.psd1') -Global -Force
    $emulator = Start-ConfluenceAuditEmulator -Configuration $Configuration -ArgumentList '--records', '5000'
    $workDir = Join-Path $paths.OutDir 'demo'
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

        $checkpoint = Join-Path $workDir 'confluence-audit.checkpoint'
        $forwarded = Join-Path $workDir 'forwarded.csv'
        Remove-Item -LiteralPath $checkpoint, $forwarded -ErrorAction Ignore
        Show-Step 'A collector: the first incremental run forwards the last 3 days, oldest first' "Get-ConfluenceAuditRecord -CheckpointPath ./confluence-audit.checkpoint -StartDate (Get-Date).AddDays(-3) | Export-Csv -Append ./forwarded.csv"
        Get-ConfluenceAuditRecord -CheckpointPath $checkpoint -StartDate (Get-Date).AddDays(-3) | Export-Csv -Append -Path $forwarded
        Write-Host "$(@(Import-Csv -LiteralPath $forwarded).Count) records forwarded"
        $null = New-ConfluenceAuditRecord -RemoteAddress 10.20.30.41 -Summary 'Collector check: record one' -Category Security
        $null = New-ConfluenceAuditRecord -RemoteAddress 10.20.30.42 -Summary 'Collector check: record two' -Category Security
        Show-Step 'Two records are created; the next run forwards exactly those two' 'Get-ConfluenceAuditRecord -CheckpointPath ./confluence-audit.checkpoint | Export-Csv -Append ./forwarded.csv'
        Get-ConfluenceAuditRecord -CheckpointPath $checkpoint | Export-Csv -Append -Path $forwarded
        Import-Csv -LiteralPath $forwarded | Select-Object -Last 2 | Format-Table CreationDateUtc, Category, Summary | Out-Host
        Write-Host "$(@(Import-Csv -LiteralPath $forwarded).Count) records forwarded in all; the checkpoint file says where the next run starts."

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
