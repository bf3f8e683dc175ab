# The help models of the cmdlets written as one MAML file (ConfluenceAudit.dll-Help.xml), as Get-Help reads it.

$script:MamlNamespaces = [ordered]@{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

function Get-MamlPipelineInput($ParameterSetInfo) {
    $byValue = @($ParameterSetInfo | Where-Object ByValue).Count -gt 0
    $byName = @($ParameterSetInfo | Where-Object ByPropertyName).Count -gt 0
    if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' }
    elseif ($byValue) { 'True (ByValue)' }
    elseif ($byName) { 'True (ByPropertyName)' }
    else { 'False' }
}

function Get-MamlPosition([int] $Position) { if ($Position -lt 0) { 'named' } else { [string]$Position } }

function Export-MamlHelp {
    # Writes the help models (ConvertTo-CmdletHelp's) as MAML to -Path; -Version goes into each command's details.
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [object[]] $Helps, [string] $Version)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.NewLineChars = "`n"
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.CheckCharacters = $true
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $start = { param([string] $QualifiedName) $prefix, $local = $QualifiedName -split ':', 2; $writer.WriteStartElement($prefix, $local, $script:MamlNamespaces[$prefix]) }
        $end = { $writer.WriteEndElement() }
        $element = { param([string] $QualifiedName, [string] $Text) $prefix, $local = $QualifiedName -split ':', 2; $writer.WriteElementString($prefix, $local, $script:MamlNamespaces[$prefix], $Text) }
        $paras = {
            param($Blocks)
            foreach ($block in $Blocks) {
                $text = if ($block.Kind -eq 'ListItem') { '- ' + $block.Text } else { $block.Text }
                & $element 'maml:para' $text
            }
        }
        $description = { param($Blocks) & $start 'maml:description'; & $paras $Blocks; & $end }
        $type = {
            param([string] $Name)
            & $start 'dev:type'; & $element 'maml:name' $Name; & $element 'maml:uri' ''; & $end
        }

        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($prefix in $script:MamlNamespaces.Keys) { $writer.WriteAttributeString('xmlns', $prefix, 'http://www.w3.org/2000/xmlns/', $script:MamlNamespaces[$prefix]) }

        foreach ($help in $Helps) {
            $command = $help.Command
            & $start 'command:command'

            & $start 'command:details'
            & $element 'command:name' $command.Name
            & $element 'command:verb' $command.Verb
            & $element 'command:noun' $command.Noun
            & $description @([pscustomobject]@{ Kind = 'Paragraph'; Text = $help.Synopsis })
            & $element 'dev:version' $Version
            & $end

            & $description $help.Description

            # One syntax item per parameter set, the default first; positional parameters, then mandatory, then the rest.
            & $start 'command:syntax'
            $sets = @($command.ParameterSets | Sort-Object { -not $_.IsDefault }, { [array]::IndexOf(@($command.ParameterSets), $_) })
            foreach ($set in $sets) {
                & $start 'command:syntaxItem'
                & $element 'maml:name' $command.Name
                $inSet = foreach ($parameter in $help.Parameters) {
                    $info = $parameter.Sets | Where-Object { $_.Name -eq $set.Name -or $_.Name -eq '__AllParameterSets' } | Select-Object -First 1
                    if ($info) { [pscustomobject]@{ Parameter = $parameter; Info = $info; Order = [array]::IndexOf(@($command.Parameters), $parameter) } }
                }
                $inSet = @($inSet | Sort-Object { if ($_.Info.Position -ge 0) { $_.Info.Position } else { [int]::MaxValue } }, { -not $_.Info.Mandatory }, Order)
                foreach ($item in $inSet) {
                    $parameter = $item.Parameter
                    $info = $item.Info
                    $writer.WriteStartElement('command', 'parameter', $script:MamlNamespaces.command)
                    $writer.WriteAttributeString('required', $info.Mandatory.ToString().ToLowerInvariant())
                    $writer.WriteAttributeString('variableLength', 'true')
                    $writer.WriteAttributeString('globbing', $parameter.SupportsWildcards.ToString().ToLowerInvariant())
                    $writer.WriteAttributeString('pipelineInput', (Get-MamlPipelineInput $info))
                    $writer.WriteAttributeString('position', (Get-MamlPosition $info.Position))
                    $writer.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
                    & $element 'maml:name' $parameter.Name
                    & $description $parameter.Description
                    if (@($parameter.Type.Values).Count -gt 0) {
                        & $start 'command:parameterValueGroup'
                        foreach ($value in $parameter.Type.Values) {
                            $writer.WriteStartElement('command', 'parameterValue', $script:MamlNamespaces.command)
                            $writer.WriteAttributeString('required', 'false')
                            $writer.WriteAttributeString('command', 'variableLength', $script:MamlNamespaces.command, 'false')
                            $writer.WriteString($value)
                            $writer.WriteEndElement()
                        }
                        & $end
                    }
                    elseif (-not $parameter.Type.IsSwitch) {
                        $writer.WriteStartElement('command', 'parameterValue', $script:MamlNamespaces.command)
                        $writer.WriteAttributeString('required', 'true')
                        $writer.WriteAttributeString('variableLength', 'false')
                        $writer.WriteString($parameter.Type.Name)
                        $writer.WriteEndElement()
                    }
                    & $type $parameter.Type.FullName
                    & $element 'dev:defaultValue' $parameter.DefaultValue
                    & $end
                }
                & $end
            }
            & $end

            # Every parameter once, with what holds across its parameter sets.
            & $start 'command:parameters'
            foreach ($parameter in $help.Parameters) {
                $mandatory = @($parameter.Sets | ForEach-Object { [bool]$_.Mandatory } | Select-Object -Unique)
                $required = if ($mandatory.Count -eq 1) { $mandatory[0].ToString().ToLowerInvariant() } else {
                    'true (' + (@($parameter.Sets | Where-Object Mandatory | ForEach-Object Name) -join ', ') + '), false (' + (@($parameter.Sets | Where-Object { -not $_.Mandatory } | ForEach-Object Name) -join ', ') + ')'
                }
                $positions = @($parameter.Sets | ForEach-Object { Get-MamlPosition $_.Position } | Select-Object -Unique)
                $writer.WriteStartElement('command', 'parameter', $script:MamlNamespaces.command)
                $writer.WriteAttributeString('required', $required)
                $writer.WriteAttributeString('variableLength', 'true')
                $writer.WriteAttributeString('globbing', $parameter.SupportsWildcards.ToString().ToLowerInvariant())
                $writer.WriteAttributeString('pipelineInput', (Get-MamlPipelineInput $parameter.Sets))
                $writer.WriteAttributeString('position', ($positions -join ', '))
                $writer.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
                & $element 'maml:name' $parameter.Name
                & $description $parameter.Description
                $writer.WriteStartElement('command', 'parameterValue', $script:MamlNamespaces.command)
                $writer.WriteAttributeString('required', $(if ($parameter.Type.IsSwitch) { 'false' } else { 'true' }))
                $writer.WriteAttributeString('variableLength', 'false')
                $writer.WriteString($parameter.Type.Name)
                $writer.WriteEndElement()
                & $type $parameter.Type.FullName
                & $element 'dev:defaultValue' $parameter.DefaultValue
                & $end
            }
            & $end

            & $start 'command:inputTypes'
            foreach ($inputType in $help.Inputs) {
                & $start 'command:inputType'; & $type $inputType.Type; & $description $inputType.Description; & $end
            }
            & $end

            & $start 'command:returnValues'
            foreach ($output in $help.Outputs) {
                & $start 'command:returnValue'; & $type $output.Type; & $description $output.Description; & $end
            }
            & $end

            if (@($help.Notes).Count -gt 0) {
                & $start 'maml:alertSet'
                & $start 'maml:alert'
                & $paras $help.Notes
                & $end
                & $end
            }

            & $start 'command:examples'
            foreach ($example in $help.Examples) {
                & $start 'command:example'
                & $element 'maml:title' "----- Example $($example.Number): $($example.Title) -----"
                & $element 'dev:code' $example.Code
                # The empty last paragraph keeps a blank line between one example's remarks and the next title.
                & $start 'dev:remarks'; & $paras $example.Remarks; & $element 'maml:para' ''; & $end
                & $end
            }
            & $end

            & $start 'maml:relatedLinks'
            foreach ($link in $help.Links) {
                & $start 'maml:navigationLink'; & $element 'maml:linkText' $link.Text; & $element 'maml:uri' $link.Uri; & $end
            }
            & $end

            & $end
        }

        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally {
        $writer.Dispose()
    }
}
