# The Package task: the built module folder packed into a .nupkg with PSResourceGet.

function New-ModulePackage {
    # Packs a built module folder into <DestinationPath>/<Name>.<Version>.nupkg with PSResourceGet, through a temporary
    # local file repository that is unregistered again whatever happens; throws on any error. Self-contained (it uses
    # only its parameters): tests/Pester/Package.Tests.ps1 runs this same function.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $DestinationPath)
    $ErrorActionPreference = 'Stop'
    Import-Module Microsoft.PowerShell.PSResourceGet -MinimumVersion 1.0.0 -ErrorAction Stop
    $name = Split-Path -Leaf $ModulePath
    $version = (Import-PowerShellDataFile -LiteralPath (Join-Path $ModulePath "$name.psd1")).ModuleVersion
    $id = [guid]::NewGuid().ToString('n')
    $repositoryPath = Join-Path ([System.IO.Path]::GetTempPath()) "$name-publish-$id"
    $repositoryName = "$name-publish-$id"
    New-Item -ItemType Directory -Path $repositoryPath | Out-Null
    try {
        Register-PSResourceRepository -Name $repositoryName -Uri $repositoryPath -Trusted -ErrorAction Stop
        try {
            Publish-PSResource -Path $ModulePath -Repository $repositoryName -SkipDependenciesCheck -ErrorAction Stop
        }
        finally {
            Unregister-PSResourceRepository -Name $repositoryName -ErrorAction Stop
        }
        $published = @(Get-ChildItem -LiteralPath $repositoryPath -Filter '*.nupkg')
        if ($published.Count -ne 1) { throw "Publish-PSResource left $($published.Count) packages in $repositoryPath, not one." }
        New-Item -ItemType Directory -Path $DestinationPath -Force | Out-Null
        $package = Join-Path $DestinationPath "$name.$version.nupkg"
        Copy-Item -LiteralPath $published[0].FullName -Destination $package -Force
        $package
    }
    finally {
        Remove-Item -LiteralPath $repositoryPath -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-ModulePackage {
    # Packs out/ConfluenceAudit into out/ConfluenceAudit.<version>.nupkg.
    $paths = Get-BuildPath
    $package = New-ModulePackage -ModulePath $paths.ModuleOut -DestinationPath $paths.OutDir
    Write-Host "Packaged $package" -ForegroundColor Green
}
