# Example code (of a cmdlet page, or a powershell block of an about topic) checked against the module's metadata.

$script:CommonParameterNames = [System.Management.Automation.PSCmdlet]::CommonParameters

function Test-HelpExampleCode {
    # Parses PowerShell code and checks every call of a module cmdlet against that cmdlet's metadata:
    # exact parameter names or aliases only, and a combination that at least one parameter set allows.
    # -Commands: ConvertTo-HelpCommandTable's; -MustCall: the cmdlet an example documents ('' for an about topic).
    param(
        [Parameter(Mandatory)] [string] $Code,
        [string] $Where,
        [Parameter(Mandatory)] [hashtable] $Commands,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Collections.Generic.List[string]] $Problems,
        [string] $MustCall
    )
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
    foreach ($parseError in $errors) {
        Add-HelpProblem $Problems $Where "The code does not parse: $($parseError.Message) (line $($parseError.Extent.StartLineNumber) of the code)."
    }

    $called = $false
    foreach ($commandAst in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $commandAst.GetCommandName()
        if (-not $name) { continue }
        $command = $Commands[$name]
        if (-not $command) {
            if ($name -match '^[A-Za-z]+-ConfluenceAudit') { Add-HelpProblem $Problems $Where "'$name' is not a cmdlet of the module." }
            continue
        }

        if ($command.Name -eq $MustCall) { $called = $true }
        $used = [System.Collections.Generic.List[string]]::new()
        $names = foreach ($element in $commandAst.CommandElements) {
            if ($element -is [System.Management.Automation.Language.CommandParameterAst]) { $element.ParameterName }
            elseif ($element -is [System.Management.Automation.Language.VariableExpressionAst] -and $element.Splatted) {
                # @splat: the keys of the hashtable the code assigns to that variable are parameter names too.
                $variable = $element.VariablePath.UserPath
                $assignments = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.AssignmentStatementAst] -and
                        $node.Left -is [System.Management.Automation.Language.VariableExpressionAst] -and $node.Left.VariablePath.UserPath -eq $variable }, $true)
                foreach ($assignment in $assignments) {
                    foreach ($hashtable in $assignment.Right.FindAll({ param($node) $node -is [System.Management.Automation.Language.HashtableAst] }, $false) | Select-Object -First 1) {
                        foreach ($pair in $hashtable.KeyValuePairs) { if ($pair.Item1 -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $pair.Item1.Value } }
                    }
                }
            }
        }
        foreach ($parameterName in $names) {
            $parameter = $command.Lookup[$parameterName]
            if (-not $parameter) {
                Add-HelpProblem $Problems $Where "$($command.Name) has no parameter -$parameterName (used in '$($commandAst.Extent.Text)')."
                continue
            }

            $used.Add($parameter.Name)
        }

        $specific = @($used | Where-Object { $_ -notin $script:CommonParameterNames } | Select-Object -Unique)
        if ($specific.Count -gt 0 -and @($command.ParameterSets).Count -gt 0) {
            $fits = @($command.ParameterSets | Where-Object { $set = $_; @($specific | Where-Object { $_ -notin $set.Parameters }).Count -eq 0 })
            if ($fits.Count -eq 0) {
                Add-HelpProblem $Problems $Where "$($command.Name) has no parameter set that takes -$($specific -join ', -') together (used in '$($commandAst.Extent.Text)')."
            }
        }
    }

    if ($MustCall -and -not $called) { Add-HelpProblem $Problems $Where "The example does not call $MustCall." }
}
