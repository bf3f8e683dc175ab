#Requires -Version 7.0
# ./build.ps1 Demo, the first thing a newcomer runs: it completes, shows the emulator as the Cloud site it stands in
# for, and fits a terminal of 80 columns.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    # A script file, as a newcomer's ./build.ps1 Demo runs it: an encoded command would report Write-Host as CLIXML.
    $demo = Join-Path $TestDrive 'demo.ps1'
    Set-Content -LiteralPath $demo -Value ("Import-Module '{0}'; Invoke-ModuleDemo" -f (Join-Path $script:RepoRoot 'build/ConfluenceAudit.Build.psm1').Replace("'", "''"))
    $script:Run = Invoke-ChildPwsh -TimeoutSec 300 -File $demo
    $script:Lines = @($script:Run.Output -split "`r?`n")
}

Describe 'The demo' {
    It 'runs to the end' {
        $script:Run.ExitCode | Should -Be 0 -Because ($script:Run.Output | Out-String)
        $script:Lines | Should -Contain 'Demo complete.'
    }

    It 'shows the emulator as Cloud, reached through the audit resource' {
        $script:Lines | Should -Contain 'Deployment         : Cloud'
        $script:Lines | Should -Contain 'AuditApi           : AuditResource'
        $script:Run.Output | Should -Not -Match 'DataCenter'
    }

    It 'writes an audit review report and says where it is' {
        $at = [array]::IndexOf($script:Lines, ($script:Lines | Where-Object { $_ -like 'Report written (*' } | Select-Object -First 1))
        $at | Should -BeGreaterOrEqual 0
        $path = $script:Lines[$at + 1].Trim()
        $path | Should -BeLike '*audit-report.html'
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) $path) | Should -BeTrue
    }

    It 'wraps nothing at 80 columns' {
        $long = @($script:Lines | Where-Object { $_.Length -gt 80 })
        $long | Should -BeNullOrEmpty -Because "these lines are longer than 80 characters:`n$($long -join "`n")"
    }
}
