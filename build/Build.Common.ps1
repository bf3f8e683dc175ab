# Shared by every task: running programs, the version, the repository's paths.

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
    # The one version of the module, from Directory.Build.props.
    [xml] $props = Get-Content -LiteralPath (Join-Path $script:RepoRoot 'Directory.Build.props') -Raw
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('Version') } | Where-Object { $_ })[0].InnerText
    if (-not $version) { throw 'Directory.Build.props has no <Version>.' }
    $version
}

function Get-BuildPath {
    # Where the build reads and writes: the repository, out/, the built module folder, the module's project and its output.
    param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release')
    [pscustomobject]@{
        Root          = $script:RepoRoot
        OutDir        = $script:OutDir
        ModuleOut     = $script:ModuleOut
        ModuleProject = $script:ModuleProject
        ModuleBin     = Join-Path $script:RepoRoot "src/ConfluenceAudit/bin/$Configuration/netstandard2.0"
        TestResults   = $script:TestResults
        HelpSource    = Join-Path $script:RepoRoot 'docs/help'
    }
}
